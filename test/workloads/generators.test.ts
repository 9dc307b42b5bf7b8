// The workloads' generators: pure, seeded, reproducible, and shaped as their
// checkers need (distinct set elements, valid transfers, unique values per
// key in transactions, bounded writes per key).
import { describe, expect, it } from 'vitest';
import { eachWorker, empty, ms, once, phases, seconds, simulate, timeLimit, type Generator, type SimulatedOp } from '../../generator/index.ts';
import { bankFinalGenerator, bankGenerator, type Transfer } from '../../workloads/bank/index.ts';
import { counterGenerator } from '../../workloads/counter/index.ts';
import { txnGenerator, type TxnMicroOp } from '../../workloads/append/index.ts';
import { setFinalGenerator, setGenerator } from '../../workloads/set/index.ts';

const workers = [0, 1, 2, 3, 4, 5];
const run = (make: () => Generator, seed = 1, horizon = seconds(1)): SimulatedOp[] =>
  simulate(timeLimit(horizon, make()), { workers, seed, duration: ms(2) });
const strip = (ops: SimulatedOp[]) => ops.map(({ f, value, worker }) => ({ f, value, worker }));

describe.each([
  ['set', () => setGenerator()],
  ['bank', () => bankGenerator()],
  ['counter', () => counterGenerator()],
  ['append', () => txnGenerator('append')],
  ['wr-register', () => txnGenerator('w')],
])('%s generator', (_name, make) => {
  it('is reproducible from its seed', () => {
    const a = run(make, 7);
    expect(a.length).toBeGreaterThan(100);
    expect(strip(run(make, 7))).toEqual(strip(a));
  });
});

describe('seeds matter where the generator is random', () => {
  it.each([
    ['bank', () => bankGenerator()],
    ['counter', () => counterGenerator()],
    ['append', () => txnGenerator('append')],
  ])('%s: another seed, another schedule', (_name, make) => {
    expect(strip(run(make, 1))).not.toEqual(strip(run(make, 2)));
  });
});

describe('set generator', () => {
  it('adds distinct integers 0, 1, 2 ... in invoke order', () => {
    const ops = run(setGenerator);
    expect(ops.every((o) => o.f === 'add')).toBe(true);
    expect(ops.map((o) => o.value)).toEqual(ops.map((_, i) => i));
  });

  it('final phase: exactly one read per worker', () => {
    const ops = simulate(setFinalGenerator(), { workers, seed: 1 });
    expect(ops.map((o) => [o.f, o.worker]).sort()).toEqual(workers.map((w) => ['read', w]).sort());
    expect(simulate(bankFinalGenerator(), { workers, seed: 1 })).toHaveLength(workers.length);
  });

  it('final reads hand over to a later phase even when it has nothing for the last worker to ask', () => {
    // The shape of withDivergence: final reads, then one op from each of the first 3 workers only.
    const later = () => eachWorker((w) => (typeof w === 'number' && w < 3 ? once({ f: 'state-hash' }) : empty()));
    const ops = simulate(phases(setFinalGenerator(), later()), { workers, seed: 1, horizon: seconds(60) });
    expect(ops.filter((o) => o.f === 'state-hash').map((o) => o.worker).sort()).toEqual([0, 1, 2]);
    // Every state-hash op starts after every read ended.
    expect(Math.min(...ops.filter((o) => o.f === 'state-hash').map((o) => o.start))).toBeGreaterThanOrEqual(Math.max(...ops.filter((o) => o.f === 'read').map((o) => o.end)));
    // eachWorker(() => once(read)) in the same place stalls: the reason finalReads exists.
    const stalled = simulate(phases(eachWorker(() => once({ f: 'read' })), later()), { workers, seed: 1, horizon: seconds(60) });
    expect(stalled.filter((o) => o.f === 'state-hash')).toEqual([]);
  });
});

describe('bank generator', () => {
  it('transfers 1..maxTransfer between two distinct existing accounts; about half reads', () => {
    const ops = run(() => bankGenerator({ accounts: 3, maxTransfer: 4 }), 3);
    const transfers = ops.filter((o) => o.f === 'transfer').map((o) => o.value as Transfer);
    const reads = ops.filter((o) => o.f === 'read');
    expect(reads.length + transfers.length).toBe(ops.length);
    expect(reads.length / ops.length).toBeGreaterThan(0.35);
    expect(reads.length / ops.length).toBeLessThan(0.65);
    for (const t of transfers) {
      expect(t.from).not.toBe(t.to);
      expect([t.from, t.to].every((a) => a >= 0 && a < 3)).toBe(true);
      expect(t.amount).toBeGreaterThanOrEqual(1);
      expect(t.amount).toBeLessThanOrEqual(4);
    }
    // Every ordered pair of accounts and every amount shows up.
    expect(new Set(transfers.map((t) => `${t.from}>${t.to}`)).size).toBe(6);
    expect(new Set(transfers.map((t) => t.amount)).size).toBe(4);
  });

  it('refuses a bank of one account', () => {
    expect(() => bankGenerator({ accounts: 1 })).toThrow(/at least 2/);
  });
});

describe('counter generator', () => {
  it('adds small positive amounts and reads', () => {
    const ops = run(() => counterGenerator({ maxDelta: 3, readFraction: 0.2 }));
    const adds = ops.filter((o) => o.f === 'add').map((o) => o.value as number);
    expect(new Set(adds)).toEqual(new Set([1, 2, 3]));
    expect(ops.filter((o) => o.f === 'read').every((o) => o.value === null)).toBe(true);
    expect(adds.length / ops.length).toBeGreaterThan(0.7);
  });
});

describe('txn generator (append, wr-register)', () => {
  const txns = (write: 'append' | 'w', opts = {}) =>
    run(() => txnGenerator(write, opts), 5, seconds(2)).map((o) => {
      expect(o.f).toBe('txn');
      return o.value as TxnMicroOp[];
    });

  it.each(['append', 'w'] as const)('%s: 1..4 micro-ops; reads carry null; written values unique per key and increasing', (write) => {
    const all = txns(write);
    const lengths = new Set(all.map((t) => t.length));
    expect(lengths).toEqual(new Set([1, 2, 3, 4]));
    const lastValue = new Map<number, number>();
    const wrong: TxnMicroOp[] = [];
    for (const m of all.flat()) {
      if (m[0] === 'r') {
        if (m[2] !== null) wrong.push(m);
      } else if (m[0] !== write || m[2] !== (lastValue.get(m[1]) ?? 0) + 1) wrong.push(m);
      else lastValue.set(m[1], m[2]);
    }
    expect(wrong).toEqual([]);
    expect(lastValue.size).toBeGreaterThan(5);
  });

  it('retires a key after maxWritesPerKey writes; at most activeKeys keys live at once', () => {
    const mops = txns('append', { activeKeys: 3, maxWritesPerKey: 10 }).flat();
    const writes = new Map<number, number>();
    const firstUse = new Map<number, number>();
    const lastUse = new Map<number, number>();
    mops.forEach(([f, k], i) => {
      if (f === 'append') writes.set(k, (writes.get(k) ?? 0) + 1);
      if (!firstUse.has(k)) firstUse.set(k, i);
      lastUse.set(k, i);
    });
    expect(Math.max(...writes.values())).toBe(10);
    expect(writes.size).toBeGreaterThan(10);
    // Keys live at micro-op i: those used both at or before and at or after it.
    const crowded = mops.map((_, i) => [...firstUse.keys()].filter((k) => firstUse.get(k)! <= i && lastUse.get(k)! >= i).length).filter((n) => n > 3);
    expect(crowded).toEqual([]);
  });
});
