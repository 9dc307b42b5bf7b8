// What the state sources share: how a value is shown in a key listing, and
// a retry loop bounded by the op's deadline.
import { createHash } from 'node:crypto';
import type { Completion } from '../../history/index.ts';

/** Most keys a report lists (a bigger state is still hashed, just not listed in full). */
export const MAX_LISTED_KEYS = 10_000;

/** A value as a key listing shows it: short values whole, long ones cut, with a digest so a change still shows. */
export function showValue(v: string): string {
  if (v.length <= 80) return v;
  const digest = createHash('sha1').update(v).digest('hex').slice(0, 10);
  return `${v.slice(0, 48)}... (${v.length} chars, sha1 ${digest})`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `attempt` until it returns a value or the deadline passes; then
 * throws the last error. Each attempt gets the time left.
 */
export async function retryUntil<T>(deadline: number, attempt: (remainingMs: number) => Promise<T>, pauseMs = 150): Promise<T> {
  let last: unknown = new Error('no time left');
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw last;
    try {
      return await attempt(remaining);
    } catch (e) {
      last = e;
    }
    await sleep(Math.min(pauseMs, Math.max(0, deadline - Date.now())));
  }
}

/** A state observation is read-only: whatever went wrong, it changed nothing, so it is a fail. */
export function observationFailed(node: string, err: unknown, index?: number): Completion {
  const error = err instanceof Error ? err.message : String(err);
  return { type: 'fail', error, value: { node, ...(index === undefined ? {} : { index }) } };
}
