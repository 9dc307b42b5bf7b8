// What a node offers its clients, as the HTTP API (client-api.ts) serves it:
// the answer types and the operations RaftKvServer implements. Kept apart from
// both so the API and the server do not import each other.
import type { RaftStatus } from './raft/node.ts';
import type { NodeId } from './raft/messages.ts';
import type { BugName } from './bugs.ts';
import type { MutantName } from './mutants.ts';
import type { Failpoint } from './failpoints.ts';
import type { Json, KvCommand, KvState, MicroOp } from './kv-state.ts';
import type { DelaySpec } from './transport.ts';

export type Outcome =
  | { ok: true; index: number; value?: Json; ops?: MicroOp[] }
  | { ok: false; outcome: 'fail'; error: string; leader?: NodeId | null; value?: Json; message?: string }
  | { ok: false; outcome: 'info'; error: string };

/** What a read returns from the local state once it may be served. */
export interface ReadAnswer {
  value?: Json;
  ops?: MicroOp[];
}

export interface ServerStatus extends RaftStatus {
  hash: string;
  bugs: BugName[];
  /** The mutation suite's planted bugs switched on (mutants.ts). */
  mutants: MutantName[];
  /** This node's wall clock (Date.now()), so clock faults can be observed from outside. */
  time: number;
  /** The message delay fault on this node's outgoing peer traffic, if one is on. */
  delay: DelaySpec | null;
  /** Outgoing peer batches the delay fault held back since the process started (the fault's evidence). */
  delayedBatches: number;
}

/** The node operations the client and admin API call. */
export interface KvNode {
  readonly config: { readonly requestTimeout: number };
  write(command: KvCommand, timeoutMs: number): Promise<Outcome>;
  read(serve: (kv: KvState) => ReadAnswer, timeoutMs: number): Promise<Outcome>;
  hashAt(index: number, timeoutMs: number): Promise<{ index: number; hash: string } | 'timeout' | 'gone'>;
  status(): ServerStatus;
  setFailpoint(name: Failpoint, armed: boolean): void;
  delayPeerMessages(delay: DelaySpec | null): void;
  hashHistory(to: number): Array<[number, string]>;
  keys(): { index: number; entries: [string, Json][] };
}
