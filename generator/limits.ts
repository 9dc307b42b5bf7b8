// Bounds on a generator: a number of ops, or a span of time.
import { EXHAUSTED, waitUntil, type Generator } from './protocol.ts';

/** At most `n` ops in total. */
export function limit(n: number, gen: Generator): Generator {
  let count = 0;
  return {
    next(ctx) {
      if (count >= n) return EXHAUSTED;
      const r = gen.next(ctx);
      if (r.kind === 'op') count++;
      return r;
    },
  };
}

/**
 * Ops only during `dt` ns, counted from the first time any worker asks.
 * A wait that would outlast the deadline is cut to the deadline, so workers
 * notice the end on time.
 */
export function timeLimit(dt: number, gen: Generator): Generator {
  let deadline: number | undefined;
  return {
    next(ctx) {
      deadline ??= ctx.time + dt;
      if (ctx.time >= deadline) return EXHAUSTED;
      const r = gen.next(ctx);
      if (r.kind === 'wait' && r.until > deadline) return waitUntil(deadline);
      return r;
    },
  };
}
