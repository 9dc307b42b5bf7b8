// faultline merge's rules (reports/merge-stores.ts) on made-up store
// summaries: shards of one plan merge into the summary the unsharded store
// would have; anything that would make the merged verdict cover other runs
// than the test asked for is refused.
import { describe, expect, it } from 'vitest';
import { runsOfShard, type Shard } from '../../harness/index.ts';
import { buildStoreSummary, mergeStoreSummaries, type RunSummary, type StoreRunEntry, type StoreSummary } from '../../reports/index.ts';
import type { Validity } from '../../checkers/index.ts';

const definition = { db: 'memory', workload: 'register', rate: 100 };

function runSummary(seed: number, valid: Validity): RunSummary {
  return {
    name: 'memory-register-none',
    valid,
    checkers: [{ checker: 'linearizability', valid, summary: `seed ${seed}` }],
    counts: { operations: seed, ok: seed, fail: 0, info: 0, faults: 0, faultEffects: { tookEffect: 0, noEffect: 0, unverified: 0 }, durationMs: 1 },
    paths: { test: 'test.json' },
  };
}

const verdicts: Validity[] = [true, false, true, 'unknown', true, true, true];
const entry = (k: number, firstSeed = 100): StoreRunEntry => ({
  seed: firstSeed + k,
  run: `memory-register-none/2026010${k}T000000.000`,
  summary: runSummary(firstSeed + k, verdicts[k % verdicts.length]),
});

/** The whole plan in one store, as `faultline test --test-count N` writes it. */
const unsharded = (total: number) => buildStoreSummary(definition, { firstSeed: 100, testCount: total }, Array.from({ length: total }, (_, k) => entry(k)));

/** Shard i/n of the same plan, as `faultline test --shard i/n` writes it. */
function shardStore(total: number, shard: Shard, opts: { definition?: Record<string, unknown>; firstSeed?: number; drop?: number } = {}): { store: string; summary: StoreSummary } {
  const ks = runsOfShard(total, shard).filter((k) => k !== opts.drop);
  const firstSeed = opts.firstSeed ?? 100;
  return {
    store: `shard-${shard.index}`,
    summary: buildStoreSummary(opts.definition ?? definition, { firstSeed, testCount: total, shard }, ks.map((k) => entry(k, firstSeed))),
  };
}

const shards = (total: number, count: number) => Array.from({ length: count }, (_, i) => shardStore(total, { index: i + 1, count }));

describe('merging shard stores', () => {
  it.each([
    [7, 2],
    [7, 3],
    [4, 4],
    [3, 5], // two shards with no run
  ])('%i runs in %i shards merge to the unsharded summary', (total, count) => {
    const merged = mergeStoreSummaries(shards(total, count));
    expect(merged.summary).toEqual(unsharded(total));
    expect(merged.runs.map((r) => r.to)).toEqual(unsharded(total).runs.map((r) => r.run));
  });

  it('the order of the stores on the command line does not matter', () => {
    expect(mergeStoreSummaries(shards(7, 3).reverse()).summary).toEqual(unsharded(7));
  });

  it('the merged verdict is the worst run: invalid beats unknown', () => {
    const merged = mergeStoreSummaries(shards(7, 3)).summary;
    expect(merged.valid).toBe(false);
    expect(merged.counts).toEqual({ runs: 7, valid: 5, invalid: 1, unknown: 1 });
  });

  it('two runs in the same folder name (shards started in the same millisecond) both survive', () => {
    const [a, b] = shards(2, 2);
    b.summary.runs[0] = { ...b.summary.runs[0], run: a.summary.runs[0].run };
    const merged = mergeStoreSummaries([a, b]);
    expect(merged.runs.map((r) => r.to)).toEqual([a.summary.runs[0].run, `${a.summary.runs[0].run}-1`]);
    expect(merged.runs[1].from).toEqual({ store: 'shard-2', run: a.summary.runs[0].run });
  });

  it.each([
    ['stores of different tests', () => [shardStore(4, { index: 1, count: 2 }), shardStore(4, { index: 2, count: 2 }, { definition: { ...definition, rate: 200 } })], /shard-1 and shard-2 are runs of different tests: rate: 100 vs 200/],
    ['different first seeds', () => [shardStore(4, { index: 1, count: 2 }), shardStore(4, { index: 2, count: 2 }, { firstSeed: 7 })], /split different plans: --seed 100 --test-count 4 in 2 shard\(s\) vs --seed 7/],
    ['different shard counts', () => [shardStore(4, { index: 1, count: 2 }), shardStore(4, { index: 2, count: 3 })], /split different plans/],
    ['one shard twice', () => [shardStore(4, { index: 1, count: 2 }), shardStore(4, { index: 1, count: 2 })], /shard 1\/2 is given twice/],
    ['a shard missing', () => shards(7, 3).slice(0, 2), /shard 3\/3 not given/],
    ['a shard that stopped part-way', () => [shardStore(7, { index: 1, count: 2 }, { drop: 2 }), shardStore(7, { index: 2, count: 2 })], /shard-1: shard 1\/2 lacks 1 of its 4 runs \(seeds 102\); did it finish\?/],
    ['an unsharded store and a shard of the same plan (overlapping seeds)', () => [{ store: 'all', summary: unsharded(4) }, shardStore(4, { index: 2, count: 2 })], /split different plans/],
    ['nothing', () => [], /name at least one store/],
  ])('refuses %s', (_what, inputs, message) => {
    expect(() => mergeStoreSummaries(inputs())).toThrow(message);
  });

  it('refuses a seed held twice, even when the shard labels look fine', () => {
    const [a, b] = shards(4, 2);
    b.summary.runs.push(a.summary.runs[0]);
    expect(() => mergeStoreSummaries([a, b])).toThrow(/seed 100 is in both shard-1 and shard-2: the stores overlap/);
  });
});
