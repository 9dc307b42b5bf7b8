// Ops for the counter workload: increments by a small positive amount and
// reads; one read per worker at the end.
import { fn, type Generator } from '../../generator/index.ts';
import { finalReads } from '../final-reads.ts';

export interface CounterGeneratorOptions {
  /** Increments add 1..maxDelta. Default 5. */
  maxDelta?: number;
  /** Fraction of reads; the rest are adds. Default 0.5. */
  readFraction?: number;
}

export function counterGenerator(opts: CounterGeneratorOptions = {}): Generator {
  const maxDelta = opts.maxDelta ?? 5;
  const readFraction = opts.readFraction ?? 0.5;
  return fn((ctx) => (ctx.random.float() < readFraction ? { f: 'read', value: null } : { f: 'add', value: ctx.random.between(1, maxDelta) }));
}

export function counterFinalGenerator(): Generator {
  return finalReads();
}
