// Reading a cluster's Raft state from its members' statuses (db.status):
// whose log is more up to date, who leads, who just voted. Pure functions
// over MemberStatus, shared by the Raft-aware faults (raft-*.ts) to choose
// their targets and to judge what they observed.
import type { MemberStatus } from '../clusters/index.ts';

/** Where a member's log ends. `term` is unknown on DBs that do not report it (etcd). */
export interface LogPosition {
  index: number;
  term?: number;
}

export function logPosition(s: MemberStatus): LogPosition | undefined {
  if (s.lastLogIndex === undefined) return undefined;
  return s.lastLogTerm === undefined ? { index: s.lastLogIndex } : { index: s.lastLogIndex, term: s.lastLogTerm };
}

/**
 * Raft's "at least as up to date" order (§5.4.1): the later last term wins,
 * then the longer log. With a term unknown on either side, the index alone.
 * Negative: a is behind b; 0: as up to date; positive: a is ahead.
 */
export function compareLogs(a: LogPosition, b: LogPosition): number {
  if (a.term !== undefined && b.term !== undefined && a.term !== b.term) return a.term - b.term;
  return a.index - b.index;
}

export const describeLog = (p: LogPosition | undefined): string =>
  p === undefined ? 'log unknown' : p.term === undefined ? `last index ${p.index}` : `last index ${p.index} (term ${p.term})`;

/** The member leading in the highest term: a deposed leader cut off from the rest may still believe it leads. */
export function currentLeader(statuses: readonly MemberStatus[]): MemberStatus | undefined {
  return statuses.filter((s) => s.up && s.leader).sort((a, b) => (b.term ?? 0) - (a.term ?? 0))[0];
}

/** The member of `among` leading in the highest term, if that term is above `term`: a leader elected since. */
export function newLeaderAmong(statuses: readonly MemberStatus[], among: Iterable<string>, term: number): MemberStatus | undefined {
  const members = new Set(among);
  const l = currentLeader(statuses.filter((s) => members.has(s.node)));
  return l && (l.term ?? 0) > term ? l : undefined;
}

/** Members that answered with a log position, from the least up to date log to the most (ties: node order). */
export function byFreshness(statuses: readonly MemberStatus[]): MemberStatus[] {
  return statuses
    .filter((s) => s.up && logPosition(s) !== undefined)
    .sort((a, b) => compareLogs(logPosition(a)!, logPosition(b)!) || a.node.localeCompare(b.node, undefined, { numeric: true }));
}

/** The follower whose log is the most up to date (the last in node order among equals); undefined when none reports its log. */
export function mostUpToDateFollower(statuses: readonly MemberStatus[], leader: string): MemberStatus | undefined {
  return byFreshness(statuses.filter((s) => s.node !== leader)).at(-1);
}

/** Entries in a member's log it does not know to be committed (0 when none or unknown). */
export function uncommittedTail(s: MemberStatus): number {
  if (s.lastLogIndex === undefined || s.commitIndex === undefined) return 0;
  return Math.max(0, s.lastLogIndex - s.commitIndex);
}

/** A member (up, not in `exclude`) that voted for another member in a term above `term`. */
export function voterAbove(
  statuses: readonly MemberStatus[],
  term: number,
  exclude: readonly string[] = [],
  /** Also required of the voter, seen in the same statuses (crash-after-vote-late-votes: a rival candidate). */
  also?: (all: readonly MemberStatus[], voter: MemberStatus) => unknown,
): MemberStatus | undefined {
  return statuses.find(
    (s) => s.up && !exclude.includes(s.node) && (s.term ?? 0) > term && typeof s.votedFor === 'string' && s.votedFor !== s.node && (!also || also(statuses, s)),
  );
}

/** Two members that both report leading, in different terms: [older, newer] (the older one has not noticed it was deposed). */
export function twoLeaders(statuses: readonly MemberStatus[]): [MemberStatus, MemberStatus] | undefined {
  const leaders = statuses.filter((s) => s.up && s.leader && s.term !== undefined).sort((a, b) => a.term! - b.term!);
  const [older, newer] = [leaders[0], leaders.at(-1)];
  return older && newer && older.term! < newer.term! ? [older, newer] : undefined;
}
