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
import type { History } from '../../harness/op.ts';
import type { CheckResult } from '../result.ts';
import { MAX_EXAMPLES, clientPairs, outcome } from './pairs.ts';

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
  // Walk invokes and completions in history order.
  const events: Array<{ at: number; run: () => void }> = [];
  let lower = initial;
  let upper = initial;
  const details: CounterDetails = { reads: 0, badReads: 0, adds: { ok: 0, fail: 0, info: 0 }, final: { lower, upper }, examples: [] };
  for (const p of pairs) {
    const o = outcome(p);
    if (p.invoke.f === 'add') {
      const delta = Number(p.invoke.value);
      details.adds[o]++;
      if (o !== 'fail') events.push({ at: p.invoke.index, run: () => (upper += delta) });
      if (o === 'ok') events.push({ at: p.completion!.index, run: () => (lower += delta) });
    } else if (p.invoke.f === 'read' && o === 'ok') {
      let lowerAtInvoke = initial;
      events.push({ at: p.invoke.index, run: () => (lowerAtInvoke = lower) });
      events.push({
        at: p.completion!.index,
        run: () => {
          details.reads++;
          const value = Number(p.completion!.value ?? initial);
          if (value >= lowerAtInvoke && value <= upper) return;
          details.badReads++;
          if (details.examples.length < MAX_EXAMPLES)
            details.examples.push({ invokeIndex: p.invoke.index, index: p.completion!.index, value, lower: lowerAtInvoke, upper });
        },
      });
    }
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) e.run();
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
