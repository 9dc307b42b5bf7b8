// What a database must provide so faultline can run it on a cluster's nodes.
import type { NodeCluster } from './node-cluster.ts';
import type { ImageSpec } from './docker/image.ts';
import type { Coverage, RaftTrace } from '../history/index.ts';

export interface MemberStatus {
  node: string;
  ip: string;
  up: boolean;
  leader: boolean;
  /** The member's current Raft term. */
  term?: number;
  /** Commit index as the DB reports it (raftkv: commitIndex; etcd: raft_index, its committed index). */
  index?: number;
  /** Index of the last entry in the member's log, committed or not. */
  lastLogIndex?: number;
  /** Term of that last entry: with lastLogIndex, the order Raft's vote rule uses. */
  lastLogTerm?: number;
  /** Highest log index the member knows to be committed. */
  commitIndex?: number;
  /** The node this member voted for in `term`; null: no vote yet this term. */
  votedFor?: string | null;
  version?: string;
  error?: string;
}

/**
 * The optional Raft fields of MemberStatus a DB's status() fills. The
 * Raft-aware faults (nemeses/raft-*.ts) refuse, before the cluster starts, a
 * DB that does not declare a field they need.
 */
export type RaftStatusField = 'term' | 'lastLogIndex' | 'lastLogTerm' | 'commitIndex' | 'votedFor';

/** What a DB process says about itself, for fault evidence (nemeses/): its own clock, its message delay. */
export interface NodeReport {
  /** The process's wall clock (Date.now()), ms: a libfaketime offset shows here. */
  clockMs?: number;
  /** The message delay on its outgoing peer traffic; null: none. */
  peerDelay?: { probability: number; maxMs: number } | null;
  /** Outgoing peer batches the delay fault held back since the process started. */
  delayedBatches?: number;
}

/** Where a failpoint's code runs: on the leader only, on followers only, or on any member. */
export type FailpointRole = 'leader' | 'follower' | 'any';

/** What an armed failpoint does when reached: crash the process, or hold it there for `ms` each time. */
export type FailpointAction = { mode: 'panic' } | { mode: 'sleep'; ms: number };

export interface FailpointInfo {
  /** etcd's gofail name (raftAfterSave); a DB with other names maps them to these where the meaning matches. */
  name: string;
  fires: FailpointRole;
  modes: readonly FailpointAction['mode'][];
  /** When its code path runs, in a few words. */
  when: string;
}

/**
 * Failpoints armed by name with an action (etcd's gofail: GOFAIL_HTTP in a
 * failpoint build), for the failpoint nemesis (nemeses/failpoint.ts).
 */
export interface Failpoints {
  readonly points: readonly FailpointInfo[];
  /** Arm `name` on `node` with `action`; null disarms it. */
  set(cluster: NodeCluster, node: string, name: string, action: FailpointAction | null): Promise<void>;
  /** A text the DB writes to its log when the armed failpoint fires: the evidence it did. */
  firedText(name: string, action: FailpointAction): string;
  /** Make the failpoint's code path run, for those only a request reaches (etcd's defrag ones). */
  trigger?(cluster: NodeCluster, node: string, name: string): Promise<void>;
}

/** One member as the cluster itself lists it. */
export interface ClusterMember {
  /** The DB's own member id. */
  id: string;
  /** The node it runs on. */
  node: string;
  /** False for a member added whose process has not joined yet. */
  started: boolean;
}

/**
 * Membership changes (etcd's member add/remove), for the member nemesis
 * (nemeses/member.ts). A DB without it cannot take that nemesis.
 */
export interface Membership {
  /** The members, asked of a live member. */
  list(cluster: NodeCluster): Promise<ClusterMember[]>;
  /** Stop the member on `node`, wipe its data and take it out of the cluster. */
  remove(cluster: NodeCluster, node: string): Promise<void>;
  /** Bring `node` back as a new, empty member (its data wiped first). */
  add(cluster: NodeCluster, node: string): Promise<void>;
}

/** Storage maintenance under load (etcd's compaction and defragmentation), for the compact and defrag nemeses. */
export interface Maintenance {
  /** Compact the history at the newest revision, asked of `node`: the revision compacted at. */
  compact(cluster: NodeCluster, node: string): Promise<{ revision: number }>;
  /** Whether `node` refuses reads below `revision` as compacted. */
  isCompacted(cluster: NodeCluster, node: string, revision: number): Promise<boolean>;
  /** Defragment `node`'s backend: its file size before and after, the bytes in use before, and how long it blocked. */
  defragment(cluster: NodeCluster, node: string): Promise<{ sizeBefore: number; inUseBefore: number; sizeAfter: number; tookMs: number }>;
}

export interface DB {
  /** Also the name of the process in the node (pid file, log file). */
  readonly name: string;
  /** The offline image: DB binary plus the toolbox. */
  image(): ImageSpec;
  /** Version string of the DB binary, for test.json. */
  version(): Promise<string>;
  /** Start the DB on a node: first boot when `fresh`, otherwise a restart that keeps its data. */
  start(cluster: NodeCluster, node: string, opts: { fresh: boolean }): Promise<void>;
  /** Wait until every member answers and a leader exists. */
  waitHealthy(cluster: NodeCluster, timeoutMs: number): Promise<void>;
  /** The node that leads right now, asked fresh. */
  leader(cluster: NodeCluster): Promise<string | undefined>;
  status(cluster: NodeCluster): Promise<MemberStatus[]>;
  /** Address clients use to reach a node. */
  clientUrl(cluster: NodeCluster, node: string): string;
  /** Where the DB keeps its durable state in the node: the lose-unsynced filesystem is mounted on its parent (disk/). */
  readonly dataDir?: string;
  /**
   * Its files by class (e.g. wal, snapshot, data): a shell glob relative to
   * dataDir each, for the corrupt nemesis, which flips bits in or truncates one.
   */
  readonly dataFiles?: Readonly<Record<string, string>>;
  /** Which Raft fields its status() fills (absent: none), so Raft-aware faults know what they can watch. */
  readonly raftStatus?: readonly RaftStatusField[];
  /**
   * True when leader() cannot tell who leads (a defined system without a
   * leader probe): faults aimed at the leader are refused before the run.
   */
  readonly leaderUnknown?: boolean;
  /** True when start() runs the DB under libfaketime (clusters/faketime.ts faketimeEnv()), so clock faults reach it. */
  readonly supportsClockFaults?: boolean;
  /**
   * Hold back a share of the node's outgoing peer messages for up to maxMs
   * each (null: stop). Only DBs that can do it in their own transport have it:
   * tc netem, which could do it for any DB, is missing on this kernel.
   */
  delayPeerMessages?(cluster: NodeCluster, node: string, delay: { probability: number; maxMs: number } | null): Promise<void>;
  /**
   * Arm or disarm a named crash point in the DB process (etcd's gofail
   * failpoints are the model; raftkv: raftkv/failpoints.ts).
   */
  armFailpoint?(cluster: NodeCluster, node: string, name: string, armed: boolean): Promise<void>;
  /** Named failpoints with panic or sleep actions (etcd's failpoint build); the failpoint nemesis drives them. */
  readonly failpoints?: Failpoints;
  /**
   * Ask the node's DB process about itself (raftkv: /admin/status), so clock
   * and delay faults can be seen from outside. DBs without such an endpoint
   * leave it out, and those faults stay unverified.
   */
  nodeReport?(cluster: NodeCluster, node: string): Promise<NodeReport>;
  /** Files the DB writes inside a node besides its process log, collected into the run folder with the logs. */
  readonly logFiles?: readonly string[];
  /** Compaction and defragmentation, for the compact and defrag nemeses. */
  readonly maintenance?: Maintenance;
  /** Member add and remove, for the member nemesis. */
  readonly membership?: Membership;
  /** Stop a member, delete its data and bring it back as a new, empty member. */
  wipe?(cluster: NodeCluster, node: string): Promise<void>;
  /**
   * The Raft events the run reached (history/coverage.ts), read from every
   * member's log: node name -> the text of its `<name>.log`. Pure. A DB
   * without it gets no coverage.json.
   */
  coverage?(logs: ReadonlyMap<string, string>): Coverage;
  /** The members' own account of their Raft state (history/raft-trace.ts), from the same logs. Pure. */
  raftTrace?(logs: ReadonlyMap<string, string>): RaftTrace;
}
