// Public surface of nemeses/: faults injected inside the containers
// (iptables, signals, libfaketime, the DB's own message delay), never on the host.
//
//   nemesisPlan(['partition', 'kill'], { intervalS: 10 })  -> NemesisPlan for the run loop
//   NEMESIS_NAMES                                          -> every valid --nemesis name
export { NEMESIS_NAMES, parseNemesisOption, parseSeconds, resolveNemeses, faultSchedule, type ScheduleOptions } from './schedule.ts';
export { FaultNemesis, checkNemesesForDb } from './nemesis.ts';
export type { FaultChoice, NemesisDbTraits } from './fault.ts';
export { CLOCK_MODES } from './clock.ts';
export { PARTITION_SHAPES, partitionGrudge, describeGrudge, type Grudge, type PartitionShape } from './grudge.ts';
export { TARGETS, type Target } from './targets.ts';
export { FAULT_KINDS, RAFT_KINDS, type FaultKind, type FaultSpec, type RaftKind } from './fault.ts';
export { RAFT_GROUP, RAFT_NEEDS, RAFT_MIN_NODES, bitesByChance, isRaftKind, opensReadWindow } from './raft-kinds.ts';

export { nemesisPlan, type NemesisPlanOptions } from './plan.ts';
export { fixedSchedule, checkSchedule, drawFault, faultKindsOf, faultPicksOf, type FaultPick, type ScheduledFault } from './fixed-schedule.ts';
export type { Nemesis, NemesisPlan } from './protocol.ts';
export { checkNemesesForNodes } from './node-count.ts';
export { FAILPOINT_NAMES, parseFailpointsOption } from './failpoint-options.ts';
