// The generator protocol, a simpler cousin of Jepsen's: the scheduler asks
// "what should worker w do at time t?" and gets one of three answers:
//   op        - invoke this operation now
//   wait      - nothing yet; ask again at `until` (ns) or when any op completes
//               (until = Infinity: only when an op completes, i.e. "pending")
//   exhausted - this generator has nothing more for anyone
//
// Generators are deterministic state machines: no I/O, no clocks, no
// Math.random. Time arrives in the context and randomness comes from
// ctx.random, so a virtual clock (simulate.ts) drives them exactly like the
// real scheduler does. They are stateful and single-use: tests hold
// factories (() => Generator) and build a fresh one per run.
import type { Random } from './random.ts';

/** What a generator emits: the scheduler adds index, time, process, node. */
export interface OpSpec {
  f: string;
  value?: unknown;
}

/** Client workers are numbered 0..concurrency-1; the fault injector is 'nemesis'. */
export type WorkerId = number | 'nemesis';

export interface GenContext {
  /** Nanoseconds since the test started. */
  time: number;
  /** The worker asking; it is free (no op in flight). */
  worker: WorkerId;
  /** Every worker this generator serves (used to know when all are done). */
  workers: readonly WorkerId[];
  /** How many of those workers have an op in flight right now. */
  busy: number;
  /** The stream this generator draws from (forked per worker by eachWorker). */
  random: Random;
}

export type Next =
  | { kind: 'op'; op: OpSpec }
  | { kind: 'wait'; until: number }
  | { kind: 'exhausted' };

export interface Generator {
  next(ctx: GenContext): Next;
}

export const EXHAUSTED: Next = Object.freeze({ kind: 'exhausted' });
export const PENDING: Next = Object.freeze({ kind: 'wait', until: Infinity });

export function emit(op: OpSpec): Next {
  return { kind: 'op', op };
}

export function waitUntil(until: number): Next {
  return { kind: 'wait', until };
}

/** Durations are nanoseconds everywhere, like Op.time. */
export const ms = (n: number): number => n * 1e6;
export const seconds = (n: number): number => n * 1e9;
