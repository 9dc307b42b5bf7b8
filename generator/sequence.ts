// Ordering in time: one generator after another, repetition, pauses, and
// phases separated by a barrier.
import { EXHAUSTED, PENDING, waitUntil, type Generator } from './protocol.ts';

/**
 * Each generator until it is exhausted, then the next. Like Jepsen's vector
 * of generators, the switch is global: once a member says "exhausted" to any
 * worker, every worker moves on.
 */
export function concat(...gens: Generator[]): Generator {
  let i = 0;
  return {
    next(ctx) {
      while (i < gens.length) {
        const r = gens[i].next(ctx);
        if (r.kind !== 'exhausted') return r;
        i++;
      }
      return EXHAUSTED;
    },
  };
}

/**
 * A fresh generator from `make` each time the previous one is exhausted,
 * `times` times (default: forever). Generators are single-use, hence the factory.
 */
export function cycle(make: () => Generator, times = Infinity): Generator {
  let round = 0;
  let current: Generator | undefined;
  return {
    next(ctx) {
      while (round < times) {
        const fresh = current === undefined;
        current ??= make();
        const r = current.next(ctx);
        if (r.kind !== 'exhausted') return r;
        current = undefined;
        round++;
        // A round that is exhausted before its first op would spin forever.
        if (fresh) return EXHAUSTED;
      }
      return EXHAUSTED;
    },
  };
}

/** Emits nothing for `dt` ns from the first time it is asked, then is exhausted. */
export function sleep(dt: number): Generator {
  let deadline: number | undefined;
  return {
    next(ctx) {
      deadline ??= ctx.time + dt;
      return ctx.time < deadline ? waitUntil(deadline) : EXHAUSTED;
    },
  };
}

/** Waits until no worker has an op in flight, then behaves like `gen`. */
export function synchronize(gen: Generator): Generator {
  let released = false;
  return {
    next(ctx) {
      if (!released) {
        if (ctx.busy > 0) return PENDING;
        released = true;
      }
      return gen.next(ctx);
    },
  };
}

/**
 * Phases (Jepsen's `phases`): each generator runs to exhaustion and every op
 * it started completes before the next phase begins.
 */
export function phases(...gens: Generator[]): Generator {
  return concat(...gens.map((g, i) => (i === 0 ? g : synchronize(g))));
}
