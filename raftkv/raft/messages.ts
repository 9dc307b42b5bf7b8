// What Raft nodes say to each other, and the records the core hands to its
// host (entries, snapshots, hard state). Everything here is plain JSON so the
// HTTP transport and the storage files can carry it as is.

export type NodeId = string;

/** One log entry. `command` is opaque to Raft; null is the no-op a new leader appends. */
export interface Entry {
  index: number;
  term: number;
  command: unknown;
}

/** The part of a node's state that must survive a crash before it answers anyone. */
export interface HardState {
  term: number;
  votedFor: NodeId | null;
}

export interface SnapshotMeta {
  /** Last log index the snapshot covers. */
  index: number;
  /** Term of that entry. */
  term: number;
}

/** A state-machine image at `meta.index`; `data` is opaque to Raft. */
export interface Snapshot {
  meta: SnapshotMeta;
  data: unknown;
}

interface Envelope {
  from: NodeId;
  to: NodeId;
  term: number;
}

/** Pre-vote: "would you vote for me at `term`?" asked without raising anyone's term. */
export interface PreVoteRequest extends Envelope {
  type: 'prevote';
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface VoteRequest extends Envelope {
  type: 'vote';
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface VoteReply extends Envelope {
  type: 'prevote-reply' | 'vote-reply';
  granted: boolean;
}

/**
 * AppendEntries, also the heartbeat. `round` numbers the leader's broadcasts:
 * a reply echoing round r proves the follower still followed this leader
 * after round r was sent, which is what ReadIndex and the lease count.
 */
export interface AppendRequest extends Envelope {
  type: 'append';
  prevIndex: number;
  prevTerm: number;
  entries: Entry[];
  commit: number;
  round: number;
}

export interface AppendReply extends Envelope {
  type: 'append-reply';
  success: boolean;
  /** On success: the follower's log matches the leader's up to here. */
  matchIndex: number;
  /** The prevIndex of the request this answers (a stale rejection is ignored). */
  prevIndex: number;
  /** On rejection, fast back-off hints: the follower's term at prevIndex (if any) and where that term starts. */
  conflictTerm: number | null;
  conflictIndex: number;
  round: number;
}

export interface SnapshotRequest extends Envelope {
  type: 'snapshot';
  snapshot: Snapshot;
  round: number;
}

export interface SnapshotReply extends Envelope {
  type: 'snapshot-reply';
  matchIndex: number;
  round: number;
}

export type Message =
  | PreVoteRequest
  | VoteRequest
  | VoteReply
  | AppendRequest
  | AppendReply
  | SnapshotRequest
  | SnapshotReply;

export type MessageType = Message['type'];
