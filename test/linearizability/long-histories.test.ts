// Long histories: the search's memory follows the concurrency, not the length
// (compact cache keys), and its progress and evidence stay right.
import { describe, expect, it } from 'vitest';
import { checkLinearizability, prepare } from '../../checkers/linearizability/index.ts';
import { WglSearch } from '../../checkers/linearizability/search.ts';
import { casRegisterModel, kvModel, setModel, stateKey, unorderedQueueModel, type Model } from '../../checkers/models/index.ts';
import { casRegisterWorkload, generateHistory, kvWorkload, setWorkload, unorderedQueueWorkload, type Workload } from '../../testkit/linearizability-histories.ts';

/** Run a search for at most `limit` steps. */
function runSearch(model: Model, history: ReturnType<typeof generateHistory>, compactKeys: boolean, limit: number): WglSearch {
  const { ops } = prepare(history, model, { partition: false }).partitions[0];
  const search = new WglSearch(model, ops, Infinity, true, compactKeys);
  while (search.run(10_000) === 'running' && search.steps < limit);
  return search;
}

const workloads: [string, Workload<never>, () => Model][] = [
  ['cas-register', casRegisterWorkload as Workload<never>, () => casRegisterModel({ nilRead: 'absent' })],
  ['kv', kvWorkload as Workload<never>, kvModel],
  ['set', setWorkload as Workload<never>, setModel],
  // Lost dequeues become grouped alternatives (same call position): ranks must still order them.
  ['unordered queue', unorderedQueueWorkload as Workload<never>, unorderedQueueModel],
];

describe.each(workloads)('compact cache keys (%s)', (_name, workload, model) => {
  it('explore exactly the configurations full bitsets do, on histories long enough to use them', () => {
    let sparseRuns = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const history = generateHistory(workload, seed, {
        ops: 300 + 10 * seed,
        processes: 2 + (seed % 9),
        infoRate: seed % 4 === 0 ? 0.05 : 0,
        randomResults: seed % 3 === 0,
      });
      const compact = runSearch(model(), history, true, 100_000);
      const full = runSearch(model(), history, false, 100_000);
      const what = `seed ${seed}`;
      // Same answers from the cache at every step: same walk, same counts, same verdict.
      expect(compact.steps, what).toBe(full.steps);
      expect(compact.configurations, what).toBe(full.configurations);
      expect(compact.run(0), what).toBe(full.run(0));
      expect(compact.deepest, what).toBe(full.deepest);
      if (compact.bytes() < full.bytes()) sparseRuns++;
    }
    expect(sparseRuns).toBeGreaterThan(20);
  });

  it('keep dead ends that replay through the model', () => {
    let refuted = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const history = generateHistory(workload, seed * 31, { ops: 300, processes: 3 + (seed % 5), randomResults: true });
      const m = model();
      const search = runSearch(m, history, true, 50_000);
      const snaps = search.snapshots;
      const verdict = search.run(0);
      expect(verdict, `seed ${seed}`).toBeOneOf(['valid', 'invalid']);
      if (verdict === 'invalid') {
        refuted++;
        expect(snaps.length, `seed ${seed}`).toBeGreaterThan(0);
      }
      const ends = new Set<number>();
      for (const snap of snaps) {
        expect(snap.ops.length).toBe(search.deepest);
        let state = m.init();
        snap.ops.forEach((op, k) => {
          const next = m.step(state, search.ops[op].call);
          expect(next, `seed ${seed}: op ${k} of a snapshot is refused`).toBeDefined();
          state = next!;
          expect(stateKey(m, search.space.states[snap.states[k]])).toEqual(stateKey(m, state));
        });
        ends.add(snap.states.length ? snap.states[snap.states.length - 1] : 0);
      }
      expect(ends.size).toBe(snaps.length);
    }
    // Random results refute most of these histories: the dead-end replay above really ran.
    expect(refuted).toBeGreaterThan(10);
  });
});

describe('a long single-register history (50k ops, 5 processes)', () => {
  const history = generateHistory(casRegisterWorkload, 5, { ops: 50_000, processes: 5 });

  it('checks valid within the smallest per-partition budget (64 MiB)', () => {
    const r = checkLinearizability(history, casRegisterModel({ nilRead: 'absent' }), { maxMemoryBytes: 64 << 20 });
    expect(r.valid, r.summary).toBe(true);
    const p = r.details.partitions[0];
    expect(p.progress.deepest).toBe(p.opCount);
    // One bit per op per configuration would be ~6 KB each here; compact keys are a few words.
    expect(p.progress.memoryBytes / p.progress.configurations).toBeLessThan(200);
  });

  it('reports how deep it got when it runs out of memory before any dead end', () => {
    const r = checkLinearizability(history, casRegisterModel({ nilRead: 'absent' }), { maxMemoryBytes: 1 });
    expect(r.valid).toBe('unknown');
    expect(r.details.unknownReason).toBe('memory');
    const p = r.details.partitions[0];
    expect(p.progress.deepest).toBeGreaterThan(0);
    expect(p.progress.deepest).toBeLessThanOrEqual(p.progress.configurations);
    expect(r.summary).toContain(`deepest ${p.progress.deepest} of`);
  });
});
