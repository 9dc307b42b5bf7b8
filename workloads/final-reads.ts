// The final phase of the set, bank and counter workloads: exactly one read per
// worker (so every node is read once faults have healed).
//
// Not eachWorker(() => once(read)): that is exhausted only when every worker
// has asked again *after* its read completed, so the last worker to ask can
// be the only one not waiting; if a later phase (phases(...)) has nothing for
// it, the others wait for a completion that never comes. This one is
// exhausted as soon as the last read is handed out, while reads are still in
// flight, so their completions wake every waiting worker into the next phase.
import { EXHAUSTED, PENDING, emit, type Generator, type OpSpec, type WorkerId } from '../generator/index.ts';

export function oncePerWorker(op: OpSpec): Generator {
  const served = new Set<WorkerId>();
  return {
    next(ctx) {
      if (ctx.workers.every((w) => served.has(w))) return EXHAUSTED;
      if (served.has(ctx.worker)) return PENDING;
      served.add(ctx.worker);
      return emit({ ...op });
    },
  };
}

export function finalReads(): Generator {
  return oncePerWorker({ f: 'read', value: null });
}
