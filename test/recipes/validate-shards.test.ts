// `npm run validate -- --shard i/n` and `-- --merge` (bench/lib/validate-shards.ts,
// validate-report.ts) on made-up rows: the runs themselves need Docker. The
// shards' results merged give the detection table the unsharded run prints.
import { describe, expect, it } from 'vitest';
import { recipeTable, summarizeRecipes, type RecipeExpectation, type RunRow } from '../../bench/lib/validate-report.ts';
import { mergeValidateResults, shardJobs, type ValidateSettings, type ValidateShardResult } from '../../bench/lib/validate-shards.ts';
import { summarizeMutant } from '../../bench/lib/mutation-suite.ts';

const RECIPES: RecipeExpectation[] = [
  { name: 'raftkv-stale-read', expect: { valid: false, caughtBy: ['linearizability'] } },
  { name: 'raftkv-no-fsync', expect: { valid: false, caughtBy: ['divergence', 'raft-protocol'] } },
  { name: 'raftkv-bug-free-every-nemesis', expect: { valid: true, caughtBy: [] } },
];
const SETTINGS: ValidateSettings = { mode: 'recipes', seeds: 5, fpRuns: 3 };

/** The job list validate builds: each recipe's seeds in turn, the control with --fp-runs. */
const JOBS = RECIPES.flatMap((recipe) => Array.from({ length: recipe.expect.valid === true ? 3 : 5 }, (_, i) => ({ recipe: recipe.name, seed: 1 + i })));

/** A made-up outcome per job: misses, unknowns, an error, a false positive and a slow run, so every column has something. */
function rowOf(job: { recipe: string; seed: number }, k: number): RunRow {
  const control = job.recipe.includes('bug-free');
  const invalid = control ? k === JOBS.length - 1 : k % 4 !== 1;
  return {
    recipe: job.recipe,
    seed: job.seed,
    valid: k === 6 ? 'unknown' : invalid ? false : true,
    caughtBy: invalid ? [k % 3 === 0 ? 'divergence' : 'linearizability'] : [],
    ...(invalid ? { firstAnomalyS: 1 + ((k * 7) % 11) / 2, firstAnomalyFromEvidence: true } : {}),
    wallS: k === 3 ? 75 : 20 + k,
    ops: 100 * k,
    dir: `/store/t/${k}`,
    faults: { injected: k, tookEffect: k - (k % 2), noEffect: k % 2, unverified: 0 },
    ...(k === 6 ? { error: 'cluster did not come up' } : {}),
  };
}

const ROWS = JOBS.map((job, k) => ({ ...rowOf(job, k), job: k }));
const table = (rows: RunRow[]) => recipeTable(summarizeRecipes(RECIPES, rows), rows.length, '/store');

/** What shard i/n writes: its share of the job list, as validate runs it. */
function shardResult(index: number, count: number): { file: string; result: ValidateShardResult<RunRow> } {
  const shard = { index, count };
  const runs = shardJobs(JOBS, shard).map((j) => ROWS[j.job]);
  return { file: `validate-shard-${index}-of-${count}.json`, result: { settings: SETTINGS, shard, jobs: JOBS.length, runs } };
}
const shards = (count: number) => Array.from({ length: count }, (_, i) => shardResult(i + 1, count));

describe('validate --shard and --merge', () => {
  it('the fixture exercises the table: detections, a miss, a false positive, an error and a slow run', () => {
    const lines = table(ROWS).join('\n');
    expect(lines).toMatch(/raftkv-stale-read +invalid by linearizability +\d\/5/);
    expect(lines).toMatch(/FP 1\/3/);
    expect(lines).toMatch(/targets missed/);
    expect(lines).toMatch(/a run took 75 s/);
    expect(lines).toMatch(/run\(s\) failed: seed 2: cluster did not come up/);
  });

  it.each([1, 2, 3, 5, 13, 20])('results of %i shards merge to the unsharded detection table', (count) => {
    const merged = mergeValidateResults(shards(count));
    expect(merged.settings).toEqual(SETTINGS);
    expect(merged.runs).toEqual(ROWS);
    expect(table(merged.runs)).toEqual(table(ROWS));
  });

  it("a shard's own table covers only the recipes it ran", () => {
    const { result } = shardResult(2, 13); // job 1: a stale-read seed, and job 14 (none: 13 jobs)
    expect(result.runs.map((r) => r.job)).toEqual([1]);
    expect(summarizeRecipes(RECIPES, result.runs).map((s) => s.recipe)).toEqual(['raftkv-stale-read']);
  });

  it('mutant rows merge to the same per-mutant summary', () => {
    const mutantJobs = ['register', 'set'].flatMap((workload) => [1, 2, 3].map((seed) => ({ seed, workload })));
    const rows = mutantJobs.map((j, k) => ({ ...rowOf({ recipe: 'm', seed: j.seed }, k), workload: j.workload, job: k }));
    const results = [1, 2, 3, 4].map((index) => ({
      file: `m${index}`,
      result: { settings: { mode: 'mutants' as const, seeds: 3, set: 'all' }, shard: { index, count: 4 }, jobs: rows.length, runs: shardJobs(rows, { index, count: 4 }).map((j) => rows[j.job]) },
    }));
    expect(summarizeMutant('double-vote', mergeValidateResults(results).runs)).toEqual(summarizeMutant('double-vote', rows));
  });

  it.each([
    ['a missing shard', () => shards(3).slice(1), /no result of shard 1\/3/],
    ['a shard twice', () => [...shards(2), shardResult(2, 2)], /shard 2\/2 is given twice/],
    ['other settings', () => [shardResult(1, 2), { ...shardResult(2, 2), result: { ...shardResult(2, 2).result, settings: { ...SETTINGS, seeds: 10 } } }], /ran other settings than validate-shard-1-of-2\.json/],
    ['other shard counts', () => [shardResult(1, 2), shardResult(2, 3)], /splits 13 runs in 3 shards, validate-shard-1-of-2\.json 13 in 2/],
    ['a shard that stopped part-way', () => [shardResult(1, 2), { ...shardResult(2, 2), result: { ...shardResult(2, 2).result, runs: shardResult(2, 2).result.runs.slice(1) } }], /lacks 1 of shard 2\/2's 6 runs/],
    ['a run of another shard', () => [shardResult(1, 2), { ...shardResult(2, 2), result: { ...shardResult(2, 2).result, runs: [...shardResult(2, 2).result.runs, ROWS[0]] } }], /holds run 0, which is not shard 2\/2's/],
  ])('refuses %s', (_what, results, message) => {
    expect(() => mergeValidateResults(results())).toThrow(message);
  });
});
