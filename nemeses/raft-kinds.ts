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

/**
 * The scripts whose window is a read answered wrongly while the fault holds:
 * a new leader behind the commit index clients saw (stale-commit), an old
 * leader still answering beside its successor (deposed-leader). Only a
 * workload that reads during the run can see them; explore pairs them with one.
 */
/** A script, or every variant of a kind when `variant` is left out. */
type ScriptRef = { kind: RaftKind; variant?: string };

/** Whether `kind` and `variant` are among `scripts`. */
const listed = (scripts: readonly ScriptRef[], kind: string, variant?: string): boolean =>
  scripts.some((w) => w.kind === kind && (w.variant === undefined || w.variant === variant));

const READ_WINDOWS: readonly ScriptRef[] = [
  { kind: 'lagging-leader', variant: 'stale-commit' },
  { kind: 'deposed-leader' },
];

/**
 * The scripts that open their window reliably but whose bug bites in it only
 * by chance: a client's read must land while the new leader is behind
 * (stale-commit: a stale read in 2 of 3 plays by hand, and read-index
 * mutant caught in 2 of 3 benches), a vote request still held back must
 * reach the restarted voter (late-votes: a second vote in 6 of 8 plays by
 * hand, the 6 with a rival candidate), or the resumed leader's first replies must come before its own
 * quorum check, which on raftkv counts the pause as elapsed (deposed-leader:
 * its mutant test needs up to 3 plays; one CI run and one bench saw a miss).
 * Explore plays them a second time in its first pass.
 */
const CHANCE_WINDOWS: readonly ScriptRef[] = [
  { kind: 'lagging-leader', variant: 'stale-commit' },
  { kind: 'crash-after-vote', variant: 'late-votes' },
  { kind: 'deposed-leader', variant: 'scripted' },
];

/** Whether a fault of `kind` and `variant` opens its window every time but shows a bug in it only sometimes. */
export const bitesByChance = (kind: string, variant?: string): boolean => listed(CHANCE_WINDOWS, kind, variant);

/** Whether a fault of `kind` (and `variant`) opens a window only reads during the run can see. */
export const opensReadWindow = (kind: string, variant?: string): boolean => listed(READ_WINDOWS, kind, variant);

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
