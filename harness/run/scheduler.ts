// Drives one generator across a set of workers: each worker loops "ask the
// generator, execute the op, ask again". A worker told to wait sleeps until
// the deadline or until any op completes or any worker finishes (either can
// change the generator's answer: phases, eachWorker). Exhausted ends a worker.
import type { GenContext, Generator, OpSpec, WorkerId } from '../../generator/index.ts';
import type { Random } from '../../generator/index.ts';
import type { Clock } from '../../history/index.ts';

/** Performs one op for a worker (invoke, wait for completion, record). Must not throw. */
export type Execute = (worker: WorkerId, op: OpSpec) => Promise<void>;

// An executor that resolves without ever leaving the microtask queue would
// starve timers, I/O and signal handlers; yield after this many ops per turn.
const MAX_OPS_PER_TURN = 512;

// A worker told "pending" is woken by completions and finishing workers, but
// a generator may change its answer with nothing in flight (the last worker of
// a phase got nothing): like Jepsen's max-pending-interval, ask again anyway.
export const MAX_PENDING_MS = 1000;

export class Scheduler {
  private busy = 0;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private opsThisTurn = 0;
  private turnMarked = false;

  constructor(
    private readonly gen: Generator,
    private readonly workers: readonly WorkerId[],
    private readonly random: Random,
    private readonly clock: Clock,
  ) {}

  /** Runs every worker until the generator is exhausted (or stop()). */
  run(execute: Execute): Promise<void> {
    return Promise.all(this.workers.map((w) => this.loop(w, execute))).then(() => undefined);
  }

  /** No new ops from now on; ops in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    this.wakeAll();
  }

  private async loop(worker: WorkerId, execute: Execute): Promise<void> {
    while (!this.stopped) {
      const ctx: GenContext = { time: this.clock(), worker, workers: this.workers, busy: this.busy, random: this.random };
      const r = this.gen.next(ctx);
      if (r.kind === 'exhausted') break;
      if (r.kind === 'wait') {
        await this.waitUntil(r.until);
        continue;
      }
      this.busy++;
      try {
        await execute(worker, r.op);
      } finally {
        this.busy--;
      }
      this.wakeAll();
      await this.yieldIfStarving();
    }
    this.wakeAll();
  }

  private waitUntil(until: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = (): void => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      const ms = until === Infinity ? MAX_PENDING_MS : Math.min(MAX_PENDING_MS, Math.max(0, (until - this.clock()) / 1e6));
      timer = setTimeout(wake, ms);
      if (this.stopped) wake();
    });
  }

  private wakeAll(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  private async yieldIfStarving(): Promise<void> {
    if (!this.turnMarked) {
      this.turnMarked = true;
      setImmediate(() => {
        this.turnMarked = false;
        this.opsThisTurn = 0;
      });
    }
    if (++this.opsThisTurn >= MAX_OPS_PER_TURN) await new Promise((resolve) => setImmediate(resolve));
  }
}
