// The nemesis plan a run gets from --nemesis and --nemesis-interval.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import type { NemesisPlan } from './protocol.ts';
import { checkNemesesForDb, FaultNemesis } from './nemesis.ts';
import { faultSchedule, resolveNemeses, validateSchedule, type ScheduleOptions } from './schedule.ts';
import { checkNemesesForNodes } from './node-count.ts';
import { leaderTargetsFor } from './leader-targets.ts';
import { failpointsFor } from './failpoint-options.ts';
import { MIN_MEMBERS } from './member-quorum.ts';
import type { FaultChoice, NemesisDbTraits } from './fault.ts';

export interface NemesisPlanOptions extends ScheduleOptions {
  /** The DB under test, when known before the cluster starts: unsupported faults fail at once. */
  db?: NemesisDbTraits;
  /** The cluster's size, when known before it starts: faults that need more nodes fail at once. */
  nodeCount?: number;
  /** The nodes are machines faultline cannot swap for new ones (--hosts): `member` leaves out replace, member-replace is refused. */
  fixedMachines?: boolean;
}

/**
 * The plan for `--nemesis a,b,c --nemesis-interval N`: faults of the named
 * kinds inside the containers, one at a time, each after a quiet period.
 * Throws UserError for an unknown or unsupported name, or a fault the DB
 * cannot take (clock or delay on etcd).
 */
export function nemesisPlan(names: readonly string[], opts: NemesisPlanOptions): NemesisPlan<DockerClusterInfo> {
  const named = resolveNemeses(names);
  // A DB that cannot tell who leads takes every variant but the leader-aimed ones.
  const leaderAware = opts.db ? leaderTargetsFor(names, named, opts.db) : named;
  // The failpoints it draws from (--failpoints, or all the DB has), and only the actions they can take.
  const { choices, failpoints } = opts.db ? failpointsFor(names, leaderAware, opts.failpoints, opts.db) : { choices: leaderAware, failpoints: opts.failpoints ?? [] };
  if (choices.length === 0) throw new UserError('--nemesis: name at least one fault (or leave the option out)');
  const chosen = memberChoicesFor(names, choices, opts);
  validateSchedule(opts);
  if (opts.db) checkNemesesForDb(chosen, opts.db);
  if (opts.nodeCount !== undefined) checkNemesesForNodes(chosen, opts.nodeCount);
  return {
    nemesis: new FaultNemesis(chosen),
    generator: () => faultSchedule(chosen, { ...opts, ...(failpoints.length ? { failpoints } : {}) }),
  };
}

/**
 * The member nemesis's variants that fit: a three-node cluster has nothing to
 * shrink (it keeps three members), so `member` there means readd and replace. Under
 * --nemesis-overlap it must run alone: another fault restarting a removed
 * member on its old data, or cutting the quorum mid-change, is not a
 * membership change any more. On machines that cannot be swapped (--hosts)
 * `member` means readd and shrink, and member-replace named is refused.
 */
function memberChoicesFor(names: readonly string[], given: readonly FaultChoice[], opts: NemesisPlanOptions): FaultChoice[] {
  const isReplace = (c: FaultChoice) => c.kind === 'member' && c.variant === 'replace';
  if (opts.fixedMachines && names.some((n) => n.trim() === 'member-replace')) {
    throw new UserError('--hosts: member-replace is unsupported (it swaps a node for a new machine, and a host cannot be swapped)', 'Use member-readd or member-shrink, or run without --hosts.');
  }
  const choices = opts.fixedMachines ? given.filter((c) => !isReplace(c)) : given;
  const member = choices.filter((c) => c.kind === 'member');
  if (member.length === 0) return [...choices];
  if (opts.overlap && member.length < choices.length) throw new UserError('member cannot overlap other faults (--nemesis-overlap): a removed member must not be restarted or cut off by them', 'Drop --nemesis-overlap, or run member alone.');
  const small = opts.nodeCount !== undefined && opts.nodeCount <= MIN_MEMBERS && member.some((c) => c.variant !== 'shrink');
  return small ? choices.filter((c) => !(c.kind === 'member' && c.variant === 'shrink')) : [...choices];
}
