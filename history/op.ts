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
  /**
   * Whether the fault was seen in force after it was applied (start-X), or
   * seen gone after the heal (stop-X, stop-all). Absent in histories recorded
   * before faults were checked.
   */
  effect?: FaultEffect;
  /** What was looked at to decide `effect`: probes, counters, pids, clock readings. */
  evidence?: FaultEvidence;
  /**
   * stop-X only, for faults whose effect only shows while they last (packets
   * dropped by a loss rule, messages held back by a delay): what the fault
   * being healed did, read from counters as it ends.
   */
  faultEffect?: FaultEffect;
  [extra: string]: unknown;
}

/**
 * took-effect: observed in force (a cut pair unreachable, the process gone,
 * State T, the clock moved); no-effect: observed not in force, or its command
 * failed; unverified: could not be observed either way.
 */
export type FaultEffect = 'took-effect' | 'no-effect' | 'unverified';

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A fault's evidence: one line for people, then whatever was measured (JSON). */
export interface FaultEvidence {
  summary: string;
  [measured: string]: JsonValue;
}
