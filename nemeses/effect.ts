// Every fault's completion says whether the fault was seen to take effect
// (history/op.ts FaultEffect) and what was looked at (FaultEvidence): a run
// whose faults silently did nothing must not pass for a run under faults.
// Small builders shared by the faults; what each fault measures is in its
// own file.
import type { Completion, FaultEffect, FaultEvidence, FaultValue, JsonValue } from '../history/index.ts';
import { errorText } from '../history/index.ts';

export function evidence(summary: string, measured: Record<string, JsonValue> = {}): FaultEvidence {
  return { summary, ...measured };
}

/**
 * The completion of a fault op with its effect. `errors` are commands that
 * failed on some node: the op is then `info` (part of it may have happened)
 * and, whatever the rest showed, the fault is no-effect with the errors as
 * evidence.
 */
export function withEffect(value: FaultValue, effect: FaultEffect, ev: FaultEvidence, errors: readonly string[] = []): Completion {
  if (errors.length === 0) return { type: 'ok', value: { ...value, effect, evidence: ev } };
  const error = errors.join('; ');
  return { type: 'info', error, value: { ...value, effect: 'no-effect', evidence: { ...ev, summary: `command failed: ${error}`, errors: [...errors] } } };
}

/** A fault op that threw before it could gather evidence: nothing shows it happened. */
export function failedCompletion(fault: string, err: unknown): Completion {
  const error = errorText(err);
  return { type: 'info', error, value: { fault, nodes: [], effect: 'no-effect', evidence: evidence(`command failed: ${error}`, { errors: [error] }) } };
}

/** Per-node outcomes into one: took effect only where every node shows it; any node showing otherwise makes it no-effect. */
export function combineEffects(effects: readonly FaultEffect[]): FaultEffect {
  if (effects.length === 0) return 'unverified';
  if (effects.includes('no-effect')) return 'no-effect';
  return effects.every((e) => e === 'took-effect') ? 'took-effect' : 'unverified';
}

/** Run per-node work on every node at once; failures come back as "node: message" instead of throwing. */
export async function eachNode<T>(nodes: readonly string[], work: (node: string) => Promise<T>): Promise<{ results: Map<string, T>; errors: string[] }> {
  const settled = await Promise.allSettled(nodes.map(work));
  const results = new Map<string, T>();
  const errors: string[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') results.set(nodes[i], s.value);
    else {
      const msg = errorText(s.reason);
      errors.push(msg.startsWith(`${nodes[i]}:`) ? msg : `${nodes[i]}: ${msg}`);
    }
  });
  return { results, errors };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
