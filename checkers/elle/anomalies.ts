// Collects anomalies: every occurrence is counted, a few examples per type are
// kept with their explanations (building text for thousands would be waste).
import type { Anomaly, MicroOp, Txn, TxnRef } from './types.ts';

export const EXAMPLES_PER_TYPE = 8;

export class AnomalyLog {
  readonly counts: Record<string, number> = {};
  readonly examples: Record<string, Anomaly[]> = {};

  /** Count one anomaly of `type`; `describe` runs only while examples are still kept. */
  add(type: string, describe: () => Omit<Anomaly, 'type'>): void {
    this.counts[type] = (this.counts[type] ?? 0) + 1;
    const list = (this.examples[type] ??= []);
    if (list.length < EXAMPLES_PER_TYPE) list.push({ ...describe(), type } as Anomaly);
  }

  types(): string[] {
    return Object.keys(this.counts).sort();
  }
}

/** Render a value the way Elle prints it: [:append 7 3], [1 2 3], nil. */
export function ednText(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `[${v.map(ednText).join(' ')}]`;
  if (typeof v === 'string') return /^[a-zA-Z][\w-]*$/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

export function mopText(m: MicroOp): string {
  return `[:${m[0]} ${ednText(m[1])} ${ednText(m[2])}]`;
}

export function txnText(t: Txn): string {
  const index = Number.isFinite(t.completeIndex) ? t.completeIndex : t.invokeIndex;
  return `{:index ${index}, :process ${ednText(t.process)}, :type :${t.type}, :value [${t.mops.map(mopText).join(' ')}]}`;
}

export function txnRef(t: Txn, name: string): TxnRef {
  return {
    name,
    index: Number.isFinite(t.completeIndex) ? t.completeIndex : t.invokeIndex,
    process: t.process,
    type: t.type,
    value: t.mops,
  };
}

/** Name transactions T1, T2, ... and describe them: "Let T1 = {...}, T2 = {...}." */
export function introduce(txns: readonly Txn[]): { refs: TxnRef[]; names: Map<Txn, string>; text: string } {
  const names = new Map<Txn, string>();
  for (const t of txns) if (!names.has(t)) names.set(t, `T${names.size + 1}`);
  const refs = [...names].map(([t, n]) => txnRef(t, n));
  const text = 'Let ' + [...names].map(([t, n]) => `${n} = ${txnText(t)}`).join(', ') + '.';
  return { refs, names, text };
}
