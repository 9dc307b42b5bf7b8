// `npm run validate -- --shard i/n` and `-- --merge FILE...`: validate's run
// list is fixed by its settings (recipes x seeds then the controls, or
// mutants x seeds x workloads), so job k of it is shard (k mod n) + 1's
// (harness/shard.ts), and the shards' results, each row tagged with its job,
// merge back into the list one process would have run. Refused: results of
// different settings or shard counts, a shard or a job twice, a shard missing.
import { formatShard, runsOfShard, type Shard } from '../../harness/index.ts';

/** What fixes the job list: two results merge only when these are equal. */
export interface ValidateSettings {
  mode: 'recipes' | 'mutants';
  seeds: number;
  fpRuns?: number;
  only?: string[];
  set?: string;
}

/** A shard's result file: its settings, which shard of how many jobs, and its rows (each with its job index). */
export interface ValidateShardResult<Row> {
  settings: ValidateSettings;
  shard: Shard;
  jobs: number;
  runs: Array<Row & { job: number }>;
}

/** The jobs (in list order, with their index) that `shard` runs; all of them without a shard. */
export function shardJobs<J>(jobs: readonly J[], shard?: Shard): Array<J & { job: number }> {
  const ks = shard ? runsOfShard(jobs.length, shard) : jobs.map((_, k) => k);
  return ks.map((k) => ({ ...jobs[k], job: k }));
}

/** Rows of every shard in job order, as the unsharded run would list them; throws naming the problem. */
export function mergeValidateResults<Row>(results: ReadonlyArray<{ file: string; result: ValidateShardResult<Row> }>): { settings: ValidateSettings; runs: Array<Row & { job: number }> } {
  if (results.length === 0) throw new Error('--merge: name the result files of every shard');
  const [first] = results;
  const key = JSON.stringify(first.result.settings);
  const byShard = new Map<number, string>();
  const byJob = new Map<number, Row & { job: number }>();
  for (const { file, result } of results) {
    if (JSON.stringify(result.settings) !== key) {
      throw new Error(`--merge: ${file} ran other settings than ${first.file}: ${JSON.stringify(result.settings)} vs ${key}`);
    }
    if (result.jobs !== first.result.jobs || result.shard.count !== first.result.shard.count) {
      throw new Error(`--merge: ${file} splits ${result.jobs} runs in ${result.shard.count} shards, ${first.file} ${first.result.jobs} in ${first.result.shard.count}`);
    }
    const twice = byShard.get(result.shard.index);
    if (twice !== undefined) throw new Error(`--merge: shard ${formatShard(result.shard)} is given twice: ${twice} and ${file}`);
    byShard.set(result.shard.index, file);
    const expected = new Set(runsOfShard(result.jobs, result.shard));
    for (const row of result.runs) {
      if (!expected.has(row.job)) throw new Error(`--merge: ${file} holds run ${row.job}, which is not shard ${formatShard(result.shard)}'s`);
      if (byJob.has(row.job)) throw new Error(`--merge: ${file} holds run ${row.job} twice`);
      byJob.set(row.job, row);
    }
    const missing = [...expected].filter((k) => !byJob.has(k));
    if (missing.length) throw new Error(`--merge: ${file} lacks ${missing.length} of shard ${formatShard(result.shard)}'s ${expected.size} runs; did it finish?`);
  }
  const count = first.result.shard.count;
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byShard.has(i));
  if (absent.length) throw new Error(`--merge: no result of shard ${absent.map((i) => `${i}/${count}`).join(', ')}`);
  return { settings: first.result.settings, runs: [...byJob.values()].sort((a, b) => a.job - b.job) };
}

/** A parsed result file, its shape checked enough to merge (a UserError-like message otherwise). */
export function asShardResult<Row>(file: string, value: unknown): ValidateShardResult<Row> {
  const r = value as Partial<ValidateShardResult<Row>> | null;
  const ok =
    r !== null && typeof r === 'object' && typeof r.settings === 'object' && r.settings !== null &&
    typeof r.shard === 'object' && r.shard !== null && Number.isInteger(r.shard.index) && Number.isInteger(r.shard.count) &&
    Number.isInteger(r.jobs) && Array.isArray(r.runs) && r.runs.every((row) => Number.isInteger((row as { job?: unknown }).job));
  if (!ok) throw new Error(`--merge: ${file} is not the result of npm run validate -- --shard i/n (no settings, shard, jobs and runs with their job)`);
  return r as ValidateShardResult<Row>;
}
