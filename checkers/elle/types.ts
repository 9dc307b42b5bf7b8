// Shared shapes of the Elle-style checker: transactions, dependency edges,
// anomalies and the JSON-serialisable details attached to a CheckResult.

/**
 * Keys and values of micro-ops: whatever the history used (EDN ints, JSON
 * strings). Keys may also be composite (EDN vectors, JSON arrays): they are
 * compared by value (keys.ts interns them).
 */
export type Key = string | number | readonly unknown[];
export type Element = string | number;

/**
 * One micro-op of a transaction, Elle's shapes with faultline's names:
 *   list-append: ['append', k, v] and ['r', k, list | null]
 *   rw-register: ['w', k, v]      and ['r', k, v | null]
 * On an invoke the read values are null; on ok they hold what was read.
 */
export type MicroOp =
  | ['append', Key, Element]
  | ['w', Key, Element]
  | ['r', Key, Element[] | Element | null];

/** A transaction as the checker sees it: an invoke paired with its completion. */
export interface Txn {
  /** Dense id: graph node number (ok and info transactions only), -1 for failed ones. */
  id: number;
  /** 'ok' committed, 'info' unknown (its writes may be visible), 'fail' did not happen. */
  type: 'ok' | 'info' | 'fail';
  process: number | string;
  /** History index of the invoke and of the completion (Infinity when it never completed). */
  invokeIndex: number;
  completeIndex: number;
  mops: MicroOp[];
}

/** Dependency kinds as bits, so one graph edge can carry several. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;

export type EdgeKind = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';

export const EDGE_KINDS: ReadonlyArray<[number, EdgeKind]> = [
  [WW, 'ww'],
  [WR, 'wr'],
  [RW, 'rw'],
  [PROCESS, 'process'],
  [REALTIME, 'realtime'],
];

/** A transaction named in evidence: its history indices and micro-ops. */
export interface TxnRef {
  /** Name used in explanations: T1, T2, ... (per anomaly). */
  name: string;
  index: number;
  process: number | string;
  type: Txn['type'];
  value: MicroOp[];
}

/** One step of a cycle: `from < to` because of `kind` (evidence in `why`). */
export interface CycleStep {
  from: string;
  to: string;
  kind: EdgeKind;
  key?: Key;
  value?: unknown;
  why: string;
}

/** Anomalies found without cycles, and cycles: all carry a human explanation. */
export interface Anomaly {
  type: string;
  explanation: string;
  txns?: TxnRef[];
  /** Only for cycle anomalies: the edges in order, last one closing the cycle. */
  cycle?: CycleStep[];
  key?: Key;
  [extra: string]: unknown;
}

/** Which analysis produced the history's edges. */
export type ElleWorkload = 'list-append' | 'rw-register';

/** Why a check ends 'unknown' rather than valid (Elle's names). */
export type ElleUnknownReason = 'no-transactions' | 'empty-transaction-graph' | 'cycle-search-timeout';

/** CheckResult.details of the elle checker (JSON-serialisable). */
export interface ElleDetails {
  /** The analysis used; null when there was no transaction to decide it from. */
  workload: ElleWorkload | null;
  /** 'option': named by the caller; 'micro-ops': read off the history (an append or a w). */
  workloadFrom: 'option' | 'micro-ops' | null;
  consistencyModels: string[];
  /** Anomalies asked for by name (besides the models); any of them present makes the result invalid. */
  anomaliesAsked: string[];
  /** The asked-for anomalies present (directly or through an anomaly that implies them). */
  anomaliesFound: string[];
  /** Set when the verdict is 'unknown': what kept the check from a pass. */
  unknownReasons?: ElleUnknownReason[];
  /** Anomaly names found, sorted. */
  anomalyTypes: string[];
  /** Examples per anomaly type (capped), with `anomalyCounts` saying how many were found. */
  anomalies: Record<string, Anomaly[]>;
  anomalyCounts: Record<string, number>;
  /** Weakest models the anomalies rule out, and the stronger ones that fall with them. */
  not: string[];
  alsoNot: string[];
  stats: {
    txns: number;
    ok: number;
    info: number;
    fail: number;
    edges: number;
    sccs: number;
    largestScc: number;
    cycleSearchMs: number;
    timedOut: boolean;
  };
  /** What the analysis could not infer (rw-register), so a valid verdict is read with care. */
  limits?: string[];
}
