// Ops for the lock workload, per worker: acquire, hold for a while, release,
// rest, again. The hold is the point: an op history shows a lock held by
// two clients at once only when one acquire returns while another holder's
// release has not yet been called, so holds outlast the lease TTL.
import { concat, cycle, eachWorker, ms, once, type Generator } from '../../generator/index.ts';

export interface LockGeneratorOptions {
  /** Hold time range, ms (drawn per hold). */
  holdMs?: [number, number];
  /** Rest between a release and the next acquire, ms. */
  restMs?: [number, number];
}

/** Sleeps a random time in [lo, hi] ms, drawn from the worker's stream when first asked. */
function randomSleep([lo, hi]: [number, number]): Generator {
  let until: number | undefined;
  return {
    next(ctx) {
      until ??= ctx.time + ms(lo + ctx.random.float() * (hi - lo));
      return ctx.time < until ? { kind: 'wait', until } : { kind: 'exhausted' };
    },
  };
}

export function lockGenerator(opts: LockGeneratorOptions = {}): Generator {
  const hold = opts.holdMs ?? [2500, 4500];
  const rest = opts.restMs ?? [100, 600];
  return eachWorker(() =>
    cycle(() => concat(once({ f: 'acquire' }), randomSleep(hold), once({ f: 'release' }), randomSleep(rest))),
  );
}
