// The history shapes of the watch workload (workloads/watch), shared by its
// client, which records them, and the watch checker, which reads them.
//
// Writers (KV ops, one revision each when they change anything):
//   put    invoke { puts: [{ key, value }] }              ok { revision }
//   txn    invoke { puts: [{ key, value }, ...] }          ok { revision }  (one revision for all)
//   delete invoke { delete: key }                          ok { revision, deleted }  (deleted 0: no revision)
// Watchers: one `watch` op per poll of the watcher's stream,
//   invoke { watcher, options }   ok { items: WatchItem[] }  (items in delivery order)

export type WatchFilter = 'NOPUT' | 'NODELETE';

export interface WatchOptions {
  /** Watched range [key, rangeEnd) (etcd's range_end). */
  key: string;
  rangeEnd: string;
  /** Where the first stream starts: revision 1, or the revision current when the watcher began. */
  start: 'first' | 'current';
  prevKv?: boolean;
  filters?: WatchFilter[];
  progressNotify?: boolean;
}

export interface WriteValue {
  puts?: Array<{ key: string; value: string }>;
  delete?: string;
}

export interface WriteResult {
  revision: number;
  /** delete only: keys deleted (0: nothing changed, no revision). */
  deleted?: number;
}

/** A key's state as an event carries it (etcd's mvccpb.KeyValue, decoded). */
export interface KvState {
  value: string;
  mod: number;
  create: number;
  version: number;
}

export interface WatchEvent extends KvState {
  type: 'PUT' | 'DELETE';
  key: string;
  /** The key's previous state, when the watcher asked for prev_kv and it existed. */
  prev?: KvState;
}

/** What a watcher's stream delivered, in order. */
export type WatchItem =
  /** A stream (re)started at `from` on `node`; `reason` says why the previous one ended. */
  | { kind: 'start'; from: number; node: string; reason?: string }
  /** One watch response carrying events; `revision` is its header revision. */
  | { kind: 'events'; revision: number; events: WatchEvent[] }
  /** A progress notification: every event at or below `revision` has been delivered. */
  | { kind: 'progress'; revision: number }
  /** The server canceled the watch (e.g. compacted below `compactRevision`). */
  | { kind: 'canceled'; reason: string; compactRevision?: number };

export interface WatchInvoke {
  watcher: string;
  options: WatchOptions;
}

export interface WatchResult {
  items: WatchItem[];
}

export const WATCH_RULES = ['ordered', 'unique', 'atomic', 'reliable', 'bookmarkable', 'prev-kv', 'filter', 'value'] as const;
export type WatchRule = (typeof WATCH_RULES)[number];

export interface WatchViolation {
  rule: WatchRule;
  watcher: string;
  revision: number;
  key?: string;
  /** History indexes of the ops involved (watch completions, writes). */
  ops: number[];
  explanation: string;
}
