// The history's unit: one operation record, exactly as Jepsen models it.
// An invoke opens an operation; its completion (ok | fail | info) closes it.
//   ok   - it happened, value is the result
//   fail - it definitely did not happen
//   info - unknown: it may or may not have happened, now or at any later time
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** Client processes are numbered; the fault injector is the process 'nemesis'. */
export type Process = number | 'nemesis';

export interface Op {
  /** Position in the history (0-based, dense). */
  index: number;
  /** Nanoseconds since the test started, from a monotonic clock. */
  time: number;
  process: Process;
  type: OpType;
  /** 'read' | 'write' | 'cas' | 'txn' | 'start-partition' ... */
  f: string;
  /** JSON-serialisable payload: the argument on invoke, the result on ok. */
  value: unknown;
  /** Which node the client talked to (client ops), or nodes hit (nemesis ops, in value). */
  node?: string;
  /** Error text for fail and info completions. */
  error?: string;
}

export type History = Op[];

/** How an op ended, as a client or nemesis reports it. index/time/process are filled in by the run loop. */
export interface Completion {
  /** ok: happened; fail: definitely did not happen; info: unknown. */
  type: 'ok' | 'fail' | 'info';
  /** The result (e.g. the value read); for nemesis ops, a FaultValue. */
  value?: unknown;
  error?: string;
}

// Nemesis ops (process 'nemesis') come in pairs so a report can draw fault
// intervals: f = 'start-<fault>' opens a fault, f = 'stop-<fault>' heals it,
// e.g. start-partition / stop-partition, start-kill (kill -9) / stop-kill
// (restart), start-pause / stop-pause, start-clock / stop-clock,
// start-loss / stop-loss. The completion's value says what was hit.
export interface FaultValue {
  /** 'partition' | 'kill' | 'pause' | 'clock' | 'loss' ... */
  fault: string;
  /** Nodes the fault touched. */
  nodes: string[];
  /** Human text, e.g. "n1 n2 | n3 n4 n5" or "n2 -x-> n3 (one-way)". */
  description?: string;
  [extra: string]: unknown;
}
