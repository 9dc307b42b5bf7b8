import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { History } from '../../history/op.ts';
import { runTest } from '../../harness/run/index.ts';
import { MemoryCluster, memoryTest, partitionPlan } from '../support/memdb.ts';

const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-seed-'));
afterAll(() => fs.rmSync(store, { recursive: true, force: true }));

async function run(seed: number): Promise<History> {
  const db = new MemoryCluster();
  const out = await runTest(memoryTest(db, { seed, timeLimit: 1, rate: 2000, nemesis: partitionPlan(db, 0.05) }), {
    store,
    status: 'off',
    handleSignals: false,
    opTimeoutMs: 50,
  });
  return out.history;
}

// The k-th op the client generator hands out, and the k-th fault, do not
// depend on timing: compare the common prefix of two runs.
// Main phase only: it ends with the heal (stop-all); final reads come after.
const clientOps = (h: History) => {
  const healed = h.findIndex((o) => o.f === 'stop-all');
  return h.filter((o) => o.index < healed && o.type === 'invoke' && o.process !== 'nemesis').map((o) => [o.f, o.value]);
};
const faults = (h: History) => h.filter((o) => o.type === 'invoke' && o.f === 'start-partition').map((o) => o.value);
const prefix = <T>(a: T[], b: T[]): [T[], T[]] => {
  const n = Math.min(a.length, b.length);
  return [a.slice(0, n), b.slice(0, n)];
};

/** Ops of `a` that `b` lacks (as a multiset). */
const within = (a: unknown[], b: unknown[]): unknown[] => {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(JSON.stringify(x), (counts.get(JSON.stringify(x)) ?? 0) + 1);
  return a.filter((x) => {
    const k = JSON.stringify(x);
    const n = counts.get(k) ?? 0;
    if (n === 0) return true;
    counts.set(k, n - 1);
    return false;
  });
};

describe('seeded runs', () => {
  it('the same seed gives the same client ops and the same faults', async () => {
    const [a, b] = [await run(77), await run(77)];
    const [ca, cb] = prefix(clientOps(a), clientOps(b));
    // Enough to compare even on a loaded machine (1 s at up to 2000 ops/s).
    expect(ca.length).toBeGreaterThan(100);
    // The generator hands out the same ops in the same order. Their invokes are recorded
    // as workers get to them: a worker reopening its client after an info (partitions here)
    // may record a little after one that pulled later, so allow a shuffle of a few places.
    const slack = 20;
    expect(within(ca.slice(0, ca.length - slack), cb)).toEqual([]);
    expect(within(cb.slice(0, cb.length - slack), ca)).toEqual([]);
    expect(ca.slice(0, 20)).toEqual(cb.slice(0, 20));
    const [fa, fb] = prefix(faults(a), faults(b));
    expect(fa.length).toBeGreaterThan(2);
    expect(fa).toEqual(fb);
  });

  it('another seed gives other ops', async () => {
    const [a, b] = prefix(clientOps(await run(77)), clientOps(await run(78)));
    expect(a).not.toEqual(b);
  });
});
