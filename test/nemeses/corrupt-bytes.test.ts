// The corrupt nemesis's pure part: each node's changes stay in its own slice
// of the file, a bitflip changes exactly the bits it names, a truncate cuts inside the slice; and what the plan refuses.
import { describe, expect, it } from 'vitest';
import { Random } from '../../generator/index.ts';
import { applyCorruption, FLIPS, planCorruption, sliceOf } from '../../nemeses/corrupt-bytes.ts';
import { nemesisPlan } from '../../nemeses/index.ts';

const bitsDiffering = (a: Buffer, b: Buffer): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i] ^ b[i]; x; x &= x - 1) n++;
  return n;
};

describe('corrupt: what changes in a file', () => {
  it('slices cover the file without overlap', () => {
    expect([0, 1, 2].map((i) => sliceOf(100, i, 3))).toEqual([[0, 33], [33, 66], [66, 100]]);
  });

  it('a bitflip flips exactly FLIPS bits, all inside the node\'s slice, and nothing else', () => {
    const data = Buffer.alloc(3000, 0x5a);
    for (let seed = 0; seed < 50; seed++) {
      const index = seed % 3;
      const c = planCorruption('bitflip', data.length, { index, count: 3 }, new Random(seed));
      const after = applyCorruption(data, c);
      expect(bitsDiffering(data, after)).toBe(FLIPS);
      const [start, end] = sliceOf(data.length, index, 3);
      for (let i = 0; i < data.length; i++) if (data[i] !== after[i]) expect(i >= start && i < end).toBe(true);
      expect(data.equals(Buffer.alloc(3000, 0x5a))).toBe(true); // the input is untouched
    }
  });

  it('a truncate cuts inside the slice; an empty slice is refused', () => {
    for (let seed = 0; seed < 50; seed++) {
      const c = planCorruption('truncate', 900, { index: 1, count: 3 }, new Random(seed));
      const after = applyCorruption(Buffer.alloc(900, 1), c);
      expect(after.length).toBeGreaterThanOrEqual(300);
      expect(after.length).toBeLessThan(600);
    }
    expect(() => planCorruption('bitflip', 2, { index: 0, count: 3 }, new Random(1))).toThrow(/has no bytes in slice 1 of 3/);
  });
});

describe('corrupt: before the run', () => {
  it('a DB that names no data files is refused; one that does is planned', () => {
    expect(() => nemesisPlan(['corrupt'], { intervalS: 1, db: { name: 'mydb', dataDir: '/data/x' }, nodeCount: 3 })).toThrow(/corrupt needs the data directory and data files of mydb/);
    expect(() => nemesisPlan(['corrupt-truncate'], { intervalS: 1, db: { name: 'raftkv', dataDir: '/data/raftkv', dataFiles: { log: 'log.jsonl' } }, nodeCount: 3 })).not.toThrow();
  });
});
