// npm run validate [-- --seeds 10 --only NAME[,NAME] --fp-runs N --store DIR --json]
// npm run validate -- --mutants [--set tuning|held-out|all] [--seeds 1] [--only MUTANT[,MUTANT]] [--store DIR] [--json]
// npm run validate -- ... --shard i/n [--out FILE]   then   npm run validate -- --merge FILE... [--json]
//
// Self-validation: does faultline catch the bugs it claims to catch? For
// each recipe (harness/recipes) that expects an anomaly, run it with --seeds
// different seeds and print the detection rate (runs found invalid), the
// median time to the first anomaly (the earliest op an invalid checker
// blames; the run's end when none is named), and which checkers caught it.
// Then the false-positive count: the bug-free raftkv under every nemesis and
// under the scripted figure 8 scenario (nemeses/figure8.ts),
// --fp-runs times (default: --seeds). Runs go one after another through the
// same buildTest + runTest as `faultline test`.
//
// --mutants measures faultline on bugs nobody planted for a recipe instead:
// raftkv's mutation suite (raftkv/mutants.ts, bench/lib/mutation-suite.ts),
// each mutant under the default nemesis mix on 5 nodes for 30 s, with the
// register and the set workload; per mutant caught or not, by which
// checkers, the first anomaly and the wall time, then the catch rate of the
// tuning and the held-out set. --seeds defaults to 1 here.
//
// --shard i/n runs only run k of the list with k mod n = i - 1 (harness/shard.ts)
// and writes its rows to --out (default validate-shard-i-of-n.json); --merge
// reads every shard's file and prints what the unsharded run would have
// (bench/lib/validate-shards.ts): the same table, JSON and exit code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { buildTest } from '../harness/systems/index.ts';
import { parseShard, type Shard } from '../harness/index.ts';
import { RECIPES, firstAnomaly, recipeByName, recipeTestArgs, type Recipe } from '../cli/recipes/index.ts';
import { runTest } from '../harness/run/index.ts';
import {
  catchRateLine, catchRates, mutantRecipe, mutantsToRun, mutantTable, summarizeMutant,
  MUTANT_NEMESES, MUTANT_NODES, MUTANT_TIME_LIMIT_S, MUTANT_WORKLOADS,
} from './lib/mutation-suite.ts';
import { addTallies, describeRow, faultTally, recipeMisses, recipeTable, summarizeRecipes, NO_FAULTS, type RunRow } from './lib/validate-report.ts';
import { asShardResult, mergeValidateResults, shardJobs, type ValidateSettings, type ValidateShardResult } from './lib/validate-shards.ts';
import type { MutantName } from '../raftkv/index.ts';
import { mutantActsInRun } from '../clusters/raftkv/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seeds: { type: 'string' }, // default: 10 per recipe, 1 per mutant
    only: { type: 'string' },
    mutants: { type: 'boolean', default: false },
    set: { type: 'string', default: 'all' },
    'fp-runs': { type: 'string' },
    store: { type: 'string' },
    json: { type: 'boolean', default: false },
    shard: { type: 'string' },
    out: { type: 'string' },
    merge: { type: 'boolean', default: false },
  },
});
if (positionals.length && !values.merge) throw new Error(`unexpected argument(s) ${positionals.join(' ')} (result files go after --merge)`);
const SHARD: Shard | undefined = values.shard === undefined ? undefined : parseShard(values.shard);
if (SHARD && values.merge) throw new Error('--shard runs one shard, --merge combines them: give one of them');
const SEEDS = Number(values.seeds ?? (values.mutants ? 1 : 10));
const FP_RUNS = Number(values['fp-runs'] ?? SEEDS);
const ONLY = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const STORE = values.store ?? (values.merge ? '' : mkdtempSync(join(tmpdir(), 'faultline-validate-')));
if (!Number.isInteger(SEEDS) || SEEDS < 1) throw new Error('--seeds must be a positive integer');
/** The controls: no bug, every fault kind, the usual checkers (linearizability + divergence); and the figure 8 scenario. */
const CONTROL: Recipe = {
  name: 'raftkv-bug-free-every-nemesis',
  title: 'bug-free raftkv under every nemesis',
  explanation: 'false-positive control',
  db: 'raftkv',
  bugs: [],
  workload: 'register',
  nemesis: ['partition', 'kill', 'pause', 'clock', 'loss', 'delay'],
  nemesisInterval: '2s',
  nodes: 3,
  timeLimit: 20,
  seed: 1,
  expect: { valid: true, caughtBy: [] },
};

const FIGURE8_CONTROL: Recipe = {
  ...recipeByName('raftkv-old-term-commit')!,
  name: 'raftkv-bug-free-figure8',
  title: 'bug-free raftkv under the scripted figure 8 scenario',
  explanation: 'false-positive control for the figure8 nemesis',
  bugs: [],
  expect: { valid: true, caughtBy: [] },
};

const KNOWN = [...RECIPES, CONTROL, FIGURE8_CONTROL];

type MutantRow = RunRow & { mutant: MutantName; workload: string; acts?: number };

/** One run of a recipe; `extra` flags are added to its command line (e.g. --mutant NAME). */
async function runOnce(recipe: Recipe, seed: number, extra: readonly string[] = []): Promise<RunRow> {
  const started = performance.now();
  try {
    const args = recipeTestArgs(recipe, { seed }, extra);
    const out = await runTest(buildTest(args, seed), { store: STORE, opTimeoutMs: args.opTimeout, status: 'off' });
    const first = firstAnomaly(out.results.checkers, out.history);
    return {
      recipe: recipe.name,
      seed,
      valid: out.results.valid,
      caughtBy: out.results.checkers.filter((c) => c.valid === false).map((c) => c.checker),
      ...(first ? { firstAnomalyS: first.seconds, firstAnomalyFromEvidence: first.fromEvidence } : {}),
      wallS: (performance.now() - started) / 1000,
      ops: out.history.filter((o) => o.type === 'invoke' && o.process !== 'nemesis').length,
      dir: out.dir,
      faults: faultTally(out.results.checkers),
    };
  } catch (e) {
    return { recipe: recipe.name, seed, valid: 'unknown', caughtBy: [], wallS: (performance.now() - started) / 1000, ops: 0, dir: '', faults: NO_FAULTS, error: (e as Error).message };
  }
}

const log = (line: string) => console.error(line);

/** A shard writes its rows for --merge; the unsharded run has nothing to merge. */
function writeShardResult<Row>(settings: ValidateSettings, jobs: number, runs: Array<Row & { job: number }>): void {
  if (!SHARD) return;
  const file = values.out ?? `validate-shard-${SHARD.index}-of-${SHARD.count}.json`;
  const result: ValidateShardResult<Row> = { settings, shard: SHARD, jobs, runs };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`validate: shard ${SHARD.index}/${SHARD.count}: ${runs.length} of ${jobs} runs; result in ${file} (npm run validate -- --merge <every shard's file>)`);
}

/** The recipe list in order, narrowed by --only. */
const recipesOf = (only: readonly string[] | undefined): Recipe[] => KNOWN.filter((r) => !only || only.includes(r.name));

async function validateRecipes(settings: ValidateSettings): Promise<void> {
  const jobs = recipesOf(ONLY).flatMap((recipe) => {
    const runs = recipe === CONTROL || recipe === FIGURE8_CONTROL ? FP_RUNS : SEEDS;
    return Array.from({ length: runs }, (_, i) => ({ recipe, seed: recipe.seed + i }));
  });
  const mine = shardJobs(jobs, SHARD);
  log(`validate: ${SEEDS} seed(s) per recipe${SHARD ? `, shard ${SHARD.index}/${SHARD.count}: ${mine.length} of ${jobs.length} runs` : ''}, store ${STORE}`);
  const rows: Array<RunRow & { job: number }> = [];
  for (const { recipe, seed, job } of mine) {
    const row = await runOnce(recipe, seed);
    rows.push({ ...row, job });
    log(`  ${recipe.name} seed ${seed}: ${describeRow(row)}`);
  }
  writeShardResult(settings, jobs.length, rows);
  reportRecipes(settings, rows, STORE);
}

/** The table (or JSON) and exit code of recipe runs: from one process or merged from its shards. */
function reportRecipes(settings: ValidateSettings, rows: RunRow[], store: string): void {
  const summaries = summarizeRecipes(recipesOf(settings.only), rows);
  const misses = recipeMisses(summaries);
  process.exitCode = misses.length ? 1 : 0;
  if (values.json) {
    const strip = rows.map(({ job: _job, ...row }: RunRow & { job?: number }) => row);
    console.log(JSON.stringify({ seeds: settings.seeds, store, summaries, runs: strip, faults: addTallies(summaries), misses }, null, 2));
  } else for (const line of recipeTable(summaries, rows.length, store)) console.log(line);
}

/** --mutants: each mutant, each seed, both workloads; then the per-mutant table and the catch rate. */
async function validateMutants(settings: ValidateSettings, names: MutantName[]): Promise<void> {
  const jobs = names.flatMap((name) =>
    Array.from({ length: SEEDS }, (_, i) => i + 1).flatMap((seed) => MUTANT_WORKLOADS.map((workload) => ({ name, seed, workload }))),
  );
  const mine = shardJobs(jobs, SHARD);
  log(`validate --mutants: ${names.length} mutant(s), ${SEEDS} seed(s) each, ${MUTANT_WORKLOADS.join(' and ')} under ${MUTANT_NEMESES.join(',')}, ` +
    `${MUTANT_NODES} nodes, ${MUTANT_TIME_LIMIT_S} s${SHARD ? `; shard ${SHARD.index}/${SHARD.count}: ${mine.length} of ${jobs.length} runs` : ''}; store ${STORE}`);
  const runs: Array<MutantRow & { job: number }> = [];
  for (const { name, seed, workload, job } of mine) {
    const row = await runOnce(mutantRecipe(name, workload), seed, ['--mutant', name]);
    runs.push({ ...row, mutant: name, workload, job, acts: row.dir ? (mutantActsInRun(row.dir).get(name) ?? 0) : 0 });
    log(`  ${name} ${workload} seed ${seed}: ${describeRow(row)}`);
  }
  writeShardResult(settings, jobs.length, runs);
  reportMutants(settings, names, runs, STORE);
}

/** The per-mutant table (or JSON), the catch rate and the exit code: from one process or merged from its shards. */
function reportMutants(settings: ValidateSettings, names: readonly MutantName[], runs: MutantRow[], store: string): void {
  const summaries = names.flatMap((name) => {
    const mine = runs.filter((r) => r.mutant === name);
    return mine.length ? [summarizeMutant(name, mine)] : [];
  });
  const rates = catchRates(summaries);
  const errors = summaries.flatMap((s) => s.errors.map((e) => `${s.mutant} ${e}`));
  // A run that could not run leaves the measurement incomplete; a mutant not caught is a finding, not a failure.
  process.exitCode = errors.length ? 1 : 0;
  if (values.json) {
    const setup = { nemesis: MUTANT_NEMESES.join(','), nodes: MUTANT_NODES, timeLimitS: MUTANT_TIME_LIMIT_S, workloads: MUTANT_WORKLOADS };
    const strip = runs.map(({ job: _job, ...row }: MutantRow & { job?: number }) => row);
    console.log(JSON.stringify({ mode: 'mutants', seeds: settings.seeds, store, setup, mutants: summaries, runs: strip, catchRate: rates, errors }, null, 2));
    return;
  }
  console.log('');
  for (const line of mutantTable(summaries)) console.log(line);
  console.log(`\n${catchRateLine(rates)}`);
  console.log(`(caught: invalid in the register or the set run, in at least half the seeds; acted in: runs in which the planted bug did what the rule would not; runs in ${store})`);
  if (errors.length) console.log(`runs that failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
}

/** --merge FILE...: every shard's rows, back in list order, through the same report. */
function mergeShards(files: readonly string[]): void {
  const results = files.map((file) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`--merge: ${file}: ${(e as Error).message}`);
    }
    return { file, result: asShardResult<RunRow & Partial<MutantRow>>(file, value) };
  });
  const { settings, runs } = mergeValidateResults(results);
  const store = values.store ?? [...new Set(runs.map((r) => r.dir.replace(/\/[^/]+\/[^/]+$/, '')).filter(Boolean))].join(', ');
  log(`validate --merge: ${results.length} shard(s), ${runs.length} runs`);
  if (settings.mode === 'mutants') {
    const names = [...new Set(runs.map((r) => r.mutant!))];
    reportMutants(settings, names, runs as MutantRow[], store);
  } else reportRecipes(settings, runs, store);
}

// Last: the functions above use consts declared between them.
if (values.merge) mergeShards(positionals);
else {
  const settings: ValidateSettings = values.mutants
    ? { mode: 'mutants', seeds: SEEDS, set: values.set, ...(ONLY ? { only: ONLY } : {}) }
    : { mode: 'recipes', seeds: SEEDS, fpRuns: FP_RUNS, ...(ONLY ? { only: ONLY } : {}) };
  const names = values.mutants ? mutantsToRun(values.set, ONLY) : [];
  const unknownNames = values.mutants ? [] : ONLY?.filter((n) => !KNOWN.some((r) => r.name === n)) ?? [];
  if (unknownNames.length) throw new Error(`--only: unknown recipe(s) ${unknownNames.join(', ')}; known: ${KNOWN.map((r) => r.name).join(', ')}`);
  await ensureEnvironment({ log: (line) => console.error(`setup: ${line}`) });
  if (values.mutants) await validateMutants(settings, names);
  else await validateRecipes(settings);
}
