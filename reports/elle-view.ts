// Turns an elle checker result into what the report draws: the models ruled
// out, then per anomaly class its examples, each with its transactions (linked
// to the report's operation records) and, for cycles, the steps as edges
// between positions in that list, so the page can lay them out on a circle.
// Every value the history supplied (keys, elements) arrives here as text.
import type { CheckResult, Validity } from '../checkers/index.ts';
import { ednText, mopText, type Anomaly, type ElleDetails, type TxnRef } from '../checkers/elle/index.ts';

export interface ElleTxnView {
  /** T1, T2, ... as the explanation names them. */
  name: string;
  /** Operation id in the report (opens its record), -1 when the history has no such op. */
  id: number;
  /** History index the checker cites (the completion, or the invoke when it never completed). */
  index: number;
  process: string;
  type: string;
  /** Micro-ops as Elle prints them: [:append x 1] [:r y [1 2]]. */
  ops: string;
}

export interface ElleEdgeView {
  /** Positions in the example's `txns`. */
  from: number;
  to: number;
  kind: string;
  key: string | null;
  value: string | null;
  why: string;
}

export interface ElleExampleView {
  explanation: string;
  txns: ElleTxnView[];
  /** The cycle's steps in order (the last one closes it); null for anomalies that are not cycles. */
  cycle: ElleEdgeView[] | null;
  /** Other evidence the checker attached (key, value, search spec...), as [label, text]. */
  facts: Array<[string, string]>;
}

export interface ElleClassView {
  type: string;
  /** How many the checker found; `examples` holds the few it explained. */
  count: number;
  /** One line saying what this anomaly class means. */
  meaning: string;
  examples: ElleExampleView[];
}

export interface ElleView {
  checker: string;
  /** Position of the result in results.json's checkers (its verdict banner). */
  resultIndex: number;
  valid: Validity;
  workload: string;
  consistencyModels: string[];
  not: string[];
  alsoNot: string[];
  classes: ElleClassView[];
  stats: ElleDetails['stats'] | null;
  limits: string[];
}

/** Fields of an anomaly that the view shows in its own way, not as facts. */
const SHOWN_FIELDS = new Set(['type', 'explanation', 'txns', 'cycle']);

/** Longest fact text kept (a huge `values` list would swamp the page). */
const MAX_FACT_CHARS = 2_000;

/** Elle views of every elle result with readable details; none (and no work) when there is no elle checker. */
export function elleViews(checkers: readonly CheckResult[], operationIdAt: (historyIndex: number) => number): ElleView[] {
  const views: ElleView[] = [];
  for (const [resultIndex, result] of checkers.entries()) {
    if (result.checker !== 'elle' || !isElleDetails(result.details)) continue;
    views.push({ ...elleView(result, result.details, operationIdAt), resultIndex });
  }
  return views;
}

function isElleDetails(details: unknown): details is ElleDetails {
  const d = details as Partial<ElleDetails> | undefined;
  return typeof d === 'object' && d !== null && typeof d.anomalies === 'object' && d.anomalies !== null && Array.isArray(d.anomalyTypes);
}

function elleView(result: CheckResult, d: ElleDetails, operationIdAt: (historyIndex: number) => number): Omit<ElleView, 'resultIndex'> {
  const classes = d.anomalyTypes.map((type) => {
    const examples = Array.isArray(d.anomalies[type]) ? d.anomalies[type] : [];
    return {
      type,
      count: d.anomalyCounts?.[type] ?? examples.length,
      meaning: anomalyMeaning(type),
      examples: examples.map((a) => exampleView(a, operationIdAt)),
    };
  });
  return {
    checker: result.checker,
    valid: result.valid,
    workload: String(d.workload ?? ''),
    consistencyModels: d.consistencyModels ?? [],
    not: d.not ?? [],
    alsoNot: d.alsoNot ?? [],
    classes,
    stats: d.stats ?? null,
    limits: d.limits ?? [],
  };
}

export function exampleView(a: Anomaly, operationIdAt: (historyIndex: number) => number): ElleExampleView {
  const txns: ElleTxnView[] = (a.txns ?? []).map((t) => txnView(t, operationIdAt));
  let cycle: ElleEdgeView[] | null = null;
  if (Array.isArray(a.cycle) && a.cycle.length > 0) {
    // A step may name a transaction the refs lack (older results): it still gets a node.
    const position = (name: string) => {
      let i = txns.findIndex((t) => t.name === name);
      if (i < 0) i = txns.push({ name, id: -1, index: -1, process: '', type: '', ops: '' }) - 1;
      return i;
    };
    cycle = a.cycle.map((s) => ({
      from: position(s.from),
      to: position(s.to),
      kind: s.kind,
      key: s.key === undefined ? null : ednText(s.key),
      value: s.value === undefined ? null : ednText(s.value),
      why: s.why,
    }));
  }
  const facts: Array<[string, string]> = Object.entries(a)
    .filter(([field, value]) => !SHOWN_FIELDS.has(field) && value !== undefined)
    .map(([field, value]) => [field, cut(ednText(value))]);
  return { explanation: String(a.explanation ?? ''), txns, cycle, facts };
}

function txnView(t: TxnRef, operationIdAt: (historyIndex: number) => number): ElleTxnView {
  return {
    name: t.name,
    id: typeof t.index === 'number' ? operationIdAt(t.index) : -1,
    index: typeof t.index === 'number' ? t.index : -1,
    process: ednText(t.process),
    type: String(t.type),
    ops: Array.isArray(t.value) ? t.value.map(mopText).join(' ') : ednText(t.value),
  };
}

function cut(text: string): string {
  return text.length > MAX_FACT_CHARS ? `${text.slice(0, MAX_FACT_CHARS)}… (${text.length - MAX_FACT_CHARS} more characters)` : text;
}

/** What each anomaly class means, in Adya's and Elle's terms. */
const MEANINGS: Record<string, string> = {
  G0: 'write cycle: transactions overwrote each other in a cycle (ww edges only)',
  G1a: 'aborted read: a transaction read a value written by a transaction that failed',
  G1b: 'intermediate read: a transaction read a value its writer later overwrote in the same transaction',
  G1c: 'circular information flow: a cycle of write and read dependencies (ww, wr)',
  'G-single': 'read skew: a dependency cycle with exactly one anti-dependency (rw edge)',
  'G-nonadjacent': 'a dependency cycle whose anti-dependencies (rw edges) are never next to each other',
  'G2-item': 'anti-dependency cycle: a cycle with two rw edges in a row (write skew)',
  internal: 'a read contradicts the transaction’s own earlier reads and writes',
  'lost-update': 'several transactions read the same version of a key and each wrote it: all but one update was lost',
  'incompatible-order': 'two reads of a key disagree on the order of its elements: no single sequence of appends explains both',
  'duplicate-elements': 'a read holds the same appended element twice',
  'dirty-update': 'a committed write was ordered right after a write of a failed transaction',
  'garbage-read': 'a read saw a value no transaction wrote',
  'future-read': 'a read saw a value its own transaction writes only later',
  'cyclic-versions': 'the inferred version order of a key is itself cyclic',
  'cycle-search-timeout': 'the search for cycles of some class ran out of time: such cycles may exist unlisted (models are still decided exactly)',
};

const SUFFIXES: Array<[string, string]> = [
  ['-process', ' — needs a process-order edge (one client’s transactions in the order it issued them)'],
  ['-realtime', ' — needs a real-time edge (one transaction completed before the other began)'],
];

export function anomalyMeaning(type: string): string {
  if (MEANINGS[type]) return MEANINGS[type];
  for (const [suffix, text] of SUFFIXES) {
    if (type.endsWith(suffix) && MEANINGS[type.slice(0, -suffix.length)]) return MEANINGS[type.slice(0, -suffix.length)] + text;
  }
  return '';
}
