// Bounded waiting: the run loop never awaits a client, nemesis or cluster
// call without a deadline.

export class TimeoutError extends Error {
  constructor(readonly ms: number, what: string) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Resolves like `p`, or rejects with TimeoutError after `ms`. `p` is left running. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(ms, what)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An AbortSignal that fires after `ms` (at least 1). AbortSignal.timeout
 * throws a RangeError on a fractional delay, and deadlines computed from
 * Date.now() * a share often are: every fetch with a computed timeout goes through here.
 */
export function abortAfter(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
}
