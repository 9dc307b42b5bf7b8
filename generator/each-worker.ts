// Per-worker streams (Jepsen's `each-thread`): every worker gets its own
// generator and its own random stream, forked from the run's seed by worker
// id, so what worker 3 does never depends on when worker 5 happened to ask.
import { EXHAUSTED, PENDING, type Generator, type WorkerId } from './protocol.ts';
import type { Random } from './random.ts';

export function eachWorker(make: (worker: WorkerId) => Generator): Generator {
  const streams = new Map<WorkerId, { gen: Generator; random: Random; done: boolean }>();
  return {
    next(ctx) {
      let s = streams.get(ctx.worker);
      if (s === undefined) {
        s = { gen: make(ctx.worker), random: ctx.random.fork(`worker-${ctx.worker}`), done: false };
        streams.set(ctx.worker, s);
      }
      if (!s.done) {
        const r = s.gen.next({ ...ctx, random: s.random });
        if (r.kind !== 'exhausted') return r;
        s.done = true;
      }
      // This worker is finished; the whole generator only when every worker is.
      const allDone = ctx.workers.every((w) => streams.get(w)?.done === true);
      return allDone ? EXHAUSTED : PENDING;
    },
  };
}
