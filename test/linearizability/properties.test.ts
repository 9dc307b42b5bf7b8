// Property tests: histories generated from real sequential executions are
// linearizable; spoiled ones (a stale read) almost never are; and on small
// histories the WGL search agrees with trying every order.
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../checkers/linearizability/index.ts';
import { casRegisterModel, fifoQueueModel, kvModel, mutexModel, setModel, unorderedQueueModel, type Model } from '../../checkers/models/index.ts';
import {
  bruteForceLinearizable,
  casRegisterWorkload,
  fifoQueueWorkload,
  generateHistory,
  kvWorkload,
  mutexWorkload,
  rng,
  setWorkload,
  staleRead,
  unorderedQueueWorkload,
  type Workload,
} from '../../testkit/linearizability-histories.ts';

const cases: [Workload<never>, () => Model][] = [
  [casRegisterWorkload as Workload<never>, () => casRegisterModel({ nilRead: 'absent' })],
  [kvWorkload as Workload<never>, kvModel],
  [mutexWorkload as Workload<never>, mutexModel],
  [setWorkload as Workload<never>, setModel],
  [fifoQueueWorkload as Workload<never>, fifoQueueModel],
  [unorderedQueueWorkload as Workload<never>, unorderedQueueModel],
];

describe.each(cases)('$name', (workload, model) => {
  it('finds every history of a real execution linearizable (200 histories, up to 40 ops, crashes included)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const h = generateHistory(workload, seed, { ops: 10 + (seed % 30), processes: 2 + (seed % 5), infoRate: 0.1 });
      const r = checkLinearizability(h, model(), { timeoutMs: 10_000 });
      expect(r.valid, `seed ${seed}: ${r.summary}`).toBe(true);
    }
  });

  it('agrees with brute force on small histories (≤ 8 ops), real and random results', () => {
    let invalid = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const random = seed % 2 === 0;
      const h = generateHistory(workload, seed * 7919, { ops: 3 + (seed % 6), processes: 2 + (seed % 3), infoRate: 0.15, randomResults: random });
      const expected = bruteForceLinearizable(h, model());
      const r = checkLinearizability(h, model());
      expect(r.valid, `seed ${seed}: ${JSON.stringify(h)}`).toBe(expected);
      if (!expected) invalid++;
    }
    // The comparison means something only if both answers occur.
    if (workload.randomResult) expect(invalid).toBeGreaterThan(20);
  });
});

describe('stale reads', () => {
  it('are caught, and brute force agrees on the small ones', () => {
    const rand = rng(42);
    let spoiled = 0;
    let caught = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const small = seed % 3 === 0;
      const h = generateHistory(casRegisterWorkload, seed, { ops: small ? 8 : 40, processes: 3, infoRate: 0 });
      const bad = staleRead(h, rand);
      if (!bad) continue;
      spoiled++;
      const r = checkLinearizability(bad, casRegisterModel({ nilRead: 'absent' }));
      if (r.valid === false) caught++;
      if (small) expect(r.valid).toBe(bruteForceLinearizable(bad, casRegisterModel({ nilRead: 'absent' })));
    }
    expect(spoiled).toBeGreaterThan(100);
    // These reads return a value overwritten before they began: never linearizable.
    expect(caught).toBe(spoiled);
  });

  it('with indeterminate (info) ops around them, the checker agrees with brute force on every small one', () => {
    const rand = rng(43);
    let spoiled = 0;
    let caught = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const h = generateHistory(casRegisterWorkload, seed * 13, { ops: 8, processes: 3, infoRate: 0.15 });
      const bad = staleRead(h, rand);
      if (!bad) continue;
      spoiled++;
      const model = casRegisterModel({ nilRead: 'absent' });
      const r = checkLinearizability(bad, model);
      expect(r.valid, `seed ${seed}`).toBe(bruteForceLinearizable(bad, model));
      if (r.valid === false) caught++;
    }
    expect(spoiled).toBeGreaterThan(50);
    // An info write may explain some stale reads, but not most.
    expect(caught).toBeGreaterThan(spoiled / 2);
  });
});
