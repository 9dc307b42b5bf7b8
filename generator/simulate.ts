// Runs a generator against a virtual clock: a discrete-event model of the
// scheduler (same rules: a free worker asks, an op keeps it busy for a
// while, a waiting worker asks again at its deadline or when any op
// completes or any worker finishes). Used by tests and to preview a schedule
// without a cluster.
import type { GenContext, Generator, OpSpec, WorkerId } from './protocol.ts';
import { Random, type Seed } from './random.ts';

export interface SimulatedOp extends OpSpec {
  worker: WorkerId;
  /** Virtual ns at which the op was invoked and completed. */
  start: number;
  end: number;
}

export interface SimulateOptions {
  workers: readonly WorkerId[];
  seed: Seed;
  /** How long each op takes (ns); a number or a function of the op. Default 1 ms. */
  duration?: number | ((op: OpSpec, worker: WorkerId, start: number) => number);
  /** Stop asking after this virtual time (ns). Default: unbounded. */
  horizon?: number;
  /** Safety stop for generators that never end. Default 1e6. */
  maxOps?: number;
}

interface WorkerState {
  id: WorkerId;
  askAt: number;
  busyUntil: number | undefined;
  done: boolean;
}

export function simulate(gen: Generator, opts: SimulateOptions): SimulatedOp[] {
  const random = new Random(opts.seed);
  const duration = opts.duration ?? 1e6;
  const horizon = opts.horizon ?? Infinity;
  const maxOps = opts.maxOps ?? 1e6;
  const workers: WorkerState[] = opts.workers.map((id) => ({ id, askAt: 0, busyUntil: undefined, done: false }));
  const ops: SimulatedOp[] = [];

  // Any completion or worker exit wakes every waiting worker at that instant.
  const wakeAll = (t: number): void => {
    for (const w of workers) if (!w.done && w.busyUntil === undefined && w.askAt > t) w.askAt = t;
  };

  while (ops.length < maxOps) {
    let asker: WorkerState | undefined;
    let completer: WorkerState | undefined;
    for (const w of workers) {
      if (w.done) continue;
      if (w.busyUntil !== undefined) {
        if (completer === undefined || w.busyUntil < completer.busyUntil!) completer = w;
      } else if (asker === undefined || w.askAt < asker.askAt) {
        asker = w;
      }
    }
    // Completions first on a tie, so `busy` is what a real scheduler would see.
    if (completer !== undefined && (asker === undefined || completer.busyUntil! <= asker.askAt)) {
      const t = completer.busyUntil!;
      completer.busyUntil = undefined;
      completer.askAt = t;
      wakeAll(t);
      continue;
    }
    if (asker === undefined || asker.askAt === Infinity || asker.askAt > horizon) break;

    const t = asker.askAt;
    const ctx: GenContext = {
      time: t,
      worker: asker.id,
      workers: opts.workers,
      busy: workers.filter((w) => w.busyUntil !== undefined).length,
      random,
    };
    const r = gen.next(ctx);
    if (r.kind === 'op') {
      const d = typeof duration === 'function' ? duration(r.op, asker.id, t) : duration;
      ops.push({ ...r.op, worker: asker.id, start: t, end: t + d });
      asker.busyUntil = t + d;
    } else if (r.kind === 'wait') {
      // A wait in the past (or now) must still move time forward.
      asker.askAt = Math.max(r.until, t + 1);
    } else {
      asker.done = true;
      wakeAll(t);
    }
  }
  return ops;
}
