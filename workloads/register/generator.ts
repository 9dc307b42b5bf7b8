// Ops for the register workload: reads, writes and compare-and-sets over a
// rolling set of keys. Two things keep the linearizability check tractable:
// write values are unique (a read names exactly one write), and each key
// retires after `opsPerKey` ops, so no key's history grows without bound.
import { fn, type Generator } from '../../generator/index.ts';

export interface RegisterGeneratorOptions {
  /** Keys in use at once. */
  activeKeys?: number;
  /** Ops after which a key retires and a fresh one takes its place. */
  opsPerKey?: number;
  /** Fractions of read and write; the rest are cas. */
  readFraction?: number;
  writeFraction?: number;
}

export function registerGenerator(opts: RegisterGeneratorOptions = {}): Generator {
  const activeKeys = opts.activeKeys ?? 5;
  const opsPerKey = opts.opsPerKey ?? 120;
  const readFraction = opts.readFraction ?? 0.5;
  const writeFraction = opts.writeFraction ?? 0.3;
  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  const used = new Map<number, number>();
  // The last value this generator wrote to each key: the likeliest current value, so cas often applies.
  const lastWritten = new Map<number, number>();
  let nextKey = activeKeys;
  let nextValue = 1;

  return fn((ctx) => {
    const slot = ctx.random.int(activeKeys);
    const key = keys[slot];
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    if (count >= opsPerKey) {
      keys[slot] = nextKey++;
      used.delete(key);
    }
    const dice = ctx.random.float();
    if (dice < readFraction) return { f: 'read', value: [key, null] };
    const value = nextValue++;
    const previous = lastWritten.get(key);
    lastWritten.set(key, value);
    if (dice < readFraction + writeFraction || previous === undefined) return { f: 'write', value: [key, value] };
    return { f: 'cas', value: [key, [previous, value]] };
  });
}
