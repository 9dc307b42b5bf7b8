// Public surface of nemeses/: faults injected inside the containers
// (iptables, signals, libfaketime, the DB's own message delay), never on the host.
//
//   nemesisPlan(['partition', 'kill'], { intervalS: 10 })  -> NemesisPlan for the run loop
//   NEMESIS_NAMES                                          -> every valid --nemesis name
//   faketimeEnv()                                          -> env a DB's start() passes to run under libfaketime
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { NemesisPlan } from './protocol.ts';
import { checkNemesesForDb, FaultNemesis, type NemesisDbTraits } from './nemesis.ts';
import { faultSchedule, resolveNemeses, validateSchedule, type ScheduleOptions } from './schedule.ts';
import { UserError } from '../history/index.ts';

export { NEMESIS_NAMES, parseNemesisOption, parseSeconds, resolveNemeses, faultSchedule, type FaultChoice, type ScheduleOptions } from './schedule.ts';
export { FaultNemesis, checkNemesesForDb, type NemesisDbTraits } from './nemesis.ts';
export { CLOCK_MODES } from './clock.ts';
export { PARTITION_SHAPES, partitionGrudge, describeGrudge, type Grudge, type PartitionShape } from './grudge.ts';
export { TARGETS, type Target } from './targets.ts';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './fault.ts';

export interface NemesisPlanOptions extends ScheduleOptions {
  /** The DB under test, when known before the cluster starts: unsupported faults fail at once. */
  db?: NemesisDbTraits;
}

/**
 * The plan for `--nemesis a,b,c --nemesis-interval N`: faults of the named
 * kinds inside the containers, one at a time, each after a quiet period.
 * Throws UserError for an unknown or unsupported name, or a fault the DB
 * cannot take (clock or delay on etcd).
 */
export function nemesisPlan(names: readonly string[], opts: NemesisPlanOptions): NemesisPlan<DockerClusterInfo> {
  const choices = resolveNemeses(names);
  if (choices.length === 0) throw new UserError('--nemesis: name at least one fault (or leave the option out)');
  validateSchedule(opts);
  if (opts.db) checkNemesesForDb(choices, opts.db);
  return {
    nemesis: new FaultNemesis(choices),
    generator: () => faultSchedule(choices, opts),
  };
}
export { type Nemesis, type NemesisPlan } from './protocol.ts';
