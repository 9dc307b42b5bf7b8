// A global target rate (Jepsen's `stagger`): ops are spaced by a random
// interval uniform in [0, 2*dt), so the mean rate is 1/dt across all workers
// sharing this generator, without the lock-step a fixed interval would give.
import { ms, waitUntil, type Generator } from './protocol.ts';

// After a stall (all workers stuck in timeouts, a slow timer) the schedule
// catches up by at most this much, instead of bursting out every missed op.
const MAX_CATCH_UP = ms(100);

export function stagger(dt: number, gen: Generator): Generator {
  if (!(dt > 0)) throw new Error(`stagger: interval must be > 0 ns, got ${dt}`);
  let nextTime: number | undefined;
  return {
    next(ctx) {
      if (nextTime !== undefined && ctx.time < nextTime) return waitUntil(nextTime);
      const r = gen.next(ctx);
      if (r.kind === 'op') {
        const base = Math.max(nextTime ?? ctx.time, ctx.time - MAX_CATCH_UP);
        nextTime = base + ctx.random.float() * 2 * dt;
      }
      return r;
    },
  };
}

/** stagger expressed as a rate: about `opsPerSecond` ops per second in total. */
export function rate(opsPerSecond: number, gen: Generator): Generator {
  if (!(opsPerSecond > 0)) throw new Error(`rate: must be > 0 ops/s, got ${opsPerSecond}`);
  return stagger(1e9 / opsPerSecond, gen);
}
