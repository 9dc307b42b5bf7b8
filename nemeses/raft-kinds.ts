// What each Raft-aware fault needs from the DB and the cluster: the Raft
// fields of db.status() it watches (DB.raftStatus declares which a DB
// fills) and how many nodes its scenario takes. Checked before the cluster
// starts, so `--nemesis two-leaders --db <one that reports no terms>` is an
// error (exit 2), not a run of faults that can never take effect.
import type { DB, RaftStatusField } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import { RAFT_KINDS, type RaftKind } from './fault.ts';

export const RAFT_GROUP = 'raft';

/** The Raft fields each kind watches (every kind also needs `leader`, which every DB reports). */
export const RAFT_NEEDS: Record<RaftKind, readonly RaftStatusField[]> = {
  // Who is ahead, and whether the winner was behind (stragglers: behind the leader's commit index).
  'lagging-leader': ['term', 'lastLogIndex', 'commitIndex'],
  // The leader's last log index against its commit index.
  'uncommitted-cut': ['term', 'lastLogIndex', 'commitIndex'],
  // A member whose term rose and that voted for another.
  'crash-after-vote': ['term', 'votedFor'],
  // Two members leading in different terms.
  'two-leaders': ['term'],
  // Which members' logs are stalest, and whether a stale one led.
  'stale-restart': ['term', 'lastLogIndex'],
  // Who voted for itself in which term.
  'election-storm': ['term', 'votedFor'],
  // Who leads in which term.
  'deposed-leader': ['term'],
};

/**
 * Fewest nodes each scenario works on. lagging-leader: with the leader and
 * one follower gone, the rest must still be a majority (5 - 2 = 3 of 5).
 */
export const RAFT_MIN_NODES: Record<RaftKind, number> = {
  'lagging-leader': 5,
  'uncommitted-cut': 3,
  'crash-after-vote': 3,
  'two-leaders': 3,
  'stale-restart': 3,
  // Two or more followers left to compete.
  'election-storm': 3,
  // The old leader, its successor, and one member both reach.
  'deposed-leader': 3,
};

export const isRaftKind = (kind: string): kind is RaftKind => (RAFT_KINDS as readonly string[]).includes(kind);

/** Throws a UserError naming the fields `db` does not report that `kind` watches. */
export function assertRaftSupported(kind: RaftKind, db: Pick<DB, 'name' | 'raftStatus'>): void {
  const missing = RAFT_NEEDS[kind].filter((f) => !db.raftStatus?.includes(f));
  if (missing.length === 0) return;
  throw new UserError(
    `${kind} unsupported for ${db.name}: its status does not report ${missing.join(', ')}, which ${kind} watches`,
    `A DB opts in by filling those MemberStatus fields in status() and listing them in raftStatus (raftkv has all of them; etcd all but lastLogTerm).`,
  );
}

export function checkRaftNodes(kind: RaftKind, nodeCount: number): void {
  const need = RAFT_MIN_NODES[kind];
  if (nodeCount < need) throw new UserError(`${kind} needs at least ${need} nodes, the cluster has ${nodeCount}`, `Run it with --nodes ${need} or more.`);
}
