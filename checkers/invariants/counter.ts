// The counter invariant (Jepsen's counter checker). Ops:
//   { f: 'add', value: delta }  (delta > 0)
//   { f: 'read', value: null } -> ok value: the counter
// A read can miss no increment that was acknowledged before it began, and can
// see no increment that had not yet been attempted when it ended:
//   lower = initial + sum of ok adds completed before the read was invoked
//   upper = initial + sum of ok and info adds invoked before the read completed
// (failed adds never happened and count for neither). Every ok read must lie
// in [lower, upper]. With positive deltas this is exact for what one read can
// prove alone; it does not compare reads with each other.
import type { History } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';
import { MAX_EXAMPLES, clientPairs, outcome, type OpPair } from './pairs.ts';

export interface CounterConfig {
  /** Value before any add (an absent key reads as this). Default 0. */
  initial?: number;
}

export interface CounterBadRead {
  /** History indices of the read's invoke and completion. */
  invokeIndex: number;
  index: number;
  value: number;
  lower: number;
  upper: number;
}

export interface CounterDetails {
  reads: number;
  badReads: number;
  adds: { ok: number; fail: number; info: number };
  /** Bounds once every op is in: acknowledged sum and attempted sum. */
  final: { lower: number; upper: number };
  examples: CounterBadRead[];
}

export function checkCounter(history: History, config: CounterConfig = {}): CheckResult {
  const pairs = clientPairs(history, 'counter');
  if (!Array.isArray(pairs)) return pairs;
  const initial = config.initial ?? 0;
  // Each history index -> the op pair it opens or closes, so one pass in history order sees both ends.
  const pairAt: Array<OpPair | undefined> = new Array(history.length);
  for (const p of pairs) {
    pairAt[p.invoke.index] = p;
    if (p.completion) pairAt[p.completion.index] = p;
  }
  let lower = initial;
  let upper = initial;
  /** lower as it was when each pending read was invoked, by invoke index. */
  const lowerAtInvoke = new Map<number, number>();
  const details: CounterDetails = { reads: 0, badReads: 0, adds: { ok: 0, fail: 0, info: 0 }, final: { lower, upper }, examples: [] };
  for (let i = 0; i < pairAt.length; i++) {
    const p = pairAt[i];
    if (p === undefined) continue;
    const o = outcome(p);
    const isInvoke = p.invoke.index === i;
    if (p.invoke.f === 'add') {
      const delta = Number(p.invoke.value);
      if (isInvoke) {
        details.adds[o]++;
        if (o !== 'fail') upper += delta;
      } else if (o === 'ok') lower += delta;
    } else if (p.invoke.f === 'read' && o === 'ok') {
      if (isInvoke) {
        lowerAtInvoke.set(i, lower);
        continue;
      }
      details.reads++;
      const low = lowerAtInvoke.get(p.invoke.index)!;
      lowerAtInvoke.delete(p.invoke.index);
      const value = Number(p.completion!.value ?? initial);
      if (value >= low && value <= upper) continue;
      details.badReads++;
      if (details.examples.length < MAX_EXAMPLES) details.examples.push({ invokeIndex: p.invoke.index, index: i, value, lower: low, upper });
    }
  }
  details.final = { lower, upper };

  const a = details.adds;
  const what = `${details.reads} reads, adds ${a.ok} ok / ${a.fail} fail / ${a.info} info`;
  if (details.badReads > 0) {
    const e = details.examples[0];
    const side = e.value < e.lower ? `below ${e.lower}, the sum of adds acknowledged before it began` : `above ${e.upper}, the sum of adds attempted before it ended`;
    return { checker: 'counter', valid: false, summary: `${details.badReads} of ${details.reads} reads out of bounds, first at op ${e.index}: read ${e.value}, ${side}`, details };
  }
  if (details.reads === 0) return { checker: 'counter', valid: 'unknown', summary: `no read completed (${what}): nothing to check`, details };
  return { checker: 'counter', valid: true, summary: `${what}: every read within its bounds (final ${lower}..${upper})`, details };
}
