// Transactions for Elle's workloads: 1..maxLength micro-ops over a rolling
// set of keys, each a read or a write.
//   list-append: ['append', k, v] and ['r', k, null]
//   rw-register: ['w', k, v]      and ['r', k, null]
// Written values are unique per key (1, 2, 3 ... per key), which is what lets
// Elle name the writer of every value it reads. A key retires after
// maxWritesPerKey writes and a fresh key takes its slot, so no key's version
// order grows without bound (Elle's :max-writes-per-key).
import { fn, type Generator } from '../../generator/index.ts';

export type WriteKind = 'append' | 'w';
export type TxnMicroOp = ['append' | 'w', number, number] | ['r', number, null];

export interface TxnGeneratorOptions {
  /** Keys in use at once. Default 5. */
  activeKeys?: number;
  /** Writes after which a key retires. Default 32. */
  maxWritesPerKey?: number;
  /** Micro-ops per transaction, inclusive bounds. Default 1..4. */
  minLength?: number;
  maxLength?: number;
  /** Chance that a micro-op is a read. Default 0.5. */
  readFraction?: number;
}

export function txnGenerator(write: WriteKind, opts: TxnGeneratorOptions = {}): Generator {
  const activeKeys = opts.activeKeys ?? 5;
  const maxWrites = opts.maxWritesPerKey ?? 32;
  const minLength = opts.minLength ?? 1;
  const maxLength = opts.maxLength ?? 4;
  const readFraction = opts.readFraction ?? 0.5;
  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  /** Last value written per key; the next write uses one more. */
  const written = new Map<number, number>();
  let nextKey = activeKeys;

  return fn((ctx) => {
    const length = ctx.random.between(minLength, maxLength);
    const mops: TxnMicroOp[] = [];
    for (let i = 0; i < length; i++) {
      const slot = ctx.random.int(activeKeys);
      const key = keys[slot];
      if (ctx.random.float() < readFraction) {
        mops.push(['r', key, null]);
        continue;
      }
      const value = (written.get(key) ?? 0) + 1;
      written.set(key, value);
      mops.push([write, key, value]);
      if (value >= maxWrites) {
        keys[slot] = nextKey++;
        written.delete(key);
      }
    }
    return { f: 'txn', value: mops };
  });
}
