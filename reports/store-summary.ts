// summary.json at the top of a store: the set of runs one `faultline test`
// wrote there (its --test-count runs, or its --shard's share of them), and
// what `faultline merge` writes for the shards it combines, in the same
// shape. It names the test by its options (not where or which runs), so merge
// can tell shards of one test from stores of different tests; each run's own
// summary.json is carried whole, so nothing is recomputed from histories.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { worstValidity, type Validity } from '../checkers/index.ts';
import { UserError } from '../history/index.ts';
import { RUN_FILES, writeJson } from '../harness/run-folder/index.ts';
import type { Shard } from '../harness/index.ts';
import { readOrBuildSummary, type RunSummary } from './summary.ts';

export interface StoreRunEntry {
  seed: number;
  /** The run folder relative to the store: "<test>/<timestamp>". */
  run: string;
  summary: RunSummary;
}

export interface StoreSummary {
  /** The test's options, minus where its runs go and which seeds they take (sorted keys). */
  definition: Record<string, unknown>;
  /** The whole set: seeds firstSeed .. firstSeed + testCount - 1; `shard` when this store holds one shard of it. */
  plan: { firstSeed: number; testCount: number; shard?: Shard };
  /** The worst verdict of the runs (valid when there are none: a shard with no runs has nothing to fail). */
  valid: Validity;
  counts: { runs: number; valid: number; invalid: number; unknown: number };
  /** In plan order. */
  runs: StoreRunEntry[];
}

/** The definition as stored: keys sorted, undefined values dropped, so equal tests compare equal as JSON. */
export function canonicalDefinition(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(options)
      .filter((k) => options[k] !== undefined)
      .sort()
      .map((k) => [k, options[k]]),
  );
}

export function buildStoreSummary(definition: Record<string, unknown>, plan: StoreSummary['plan'], runs: readonly StoreRunEntry[]): StoreSummary {
  const verdicts = runs.map((r) => r.summary.valid);
  return {
    definition: canonicalDefinition(definition),
    plan,
    valid: worstValidity(verdicts),
    counts: {
      runs: runs.length,
      valid: verdicts.filter((v) => v === true).length,
      invalid: verdicts.filter((v) => v === false).length,
      unknown: verdicts.filter((v) => v === 'unknown').length,
    },
    runs: [...runs],
  };
}

/** Writes <store>/summary.json for the given run folders (each one's summary.json read, or built when absent). */
export async function writeStoreSummary(
  store: string,
  definition: Record<string, unknown>,
  plan: StoreSummary['plan'],
  runs: ReadonlyArray<{ seed: number; dir: string }>,
): Promise<StoreSummary> {
  const entries = await Promise.all(
    runs.map(async (r) => ({ seed: r.seed, run: path.relative(store, r.dir).split(path.sep).join('/'), summary: await readOrBuildSummary(r.dir) })),
  );
  const summary = buildStoreSummary(definition, plan, entries);
  writeJson(path.join(store, RUN_FILES.summary), summary);
  return summary;
}

/** <store>/summary.json, checked for shape; a UserError naming the store and the problem otherwise. */
export async function readStoreSummary(store: string): Promise<StoreSummary> {
  const info = await stat(store).catch(() => undefined);
  if (!info) throw new UserError(`${store}: no such store`);
  if (!info.isDirectory()) throw new UserError(`${store}: not a folder (a store is the folder given to faultline test --store)`);
  const file = path.join(store, RUN_FILES.summary);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing ? `${file}: missing, so ${store} holds no finished faultline test` : `${file}: unreadable (${(e as Error).message})`,
      missing ? 'faultline test writes it after each run; a shard that crashed before its first run has none' : undefined,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON (${(e as Error).message})`);
  }
  const problem = storeSummaryProblem(value);
  if (problem) throw new UserError(`${file}: not a store summary: ${problem}`);
  return value as StoreSummary;
}

/** What is wrong with a would-be StoreSummary, or undefined (a run's own summary.json is refused here too). */
export function storeSummaryProblem(value: unknown): string | undefined {
  const s = value as Partial<StoreSummary> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return 'not an object';
  if ('checkers' in s) return "it is one run's summary (a run folder): name the store, the folder given to faultline test --store";
  if (!s.definition || typeof s.definition !== 'object' || Array.isArray(s.definition)) return 'no definition';
  const plan = s.plan;
  if (!plan || !Number.isInteger(plan.firstSeed) || !Number.isInteger(plan.testCount) || plan.testCount < 1) return 'no plan { firstSeed, testCount }';
  if (plan.shard !== undefined && !(Number.isInteger(plan.shard.index) && Number.isInteger(plan.shard.count) && plan.shard.index >= 1 && plan.shard.index <= plan.shard.count)) {
    return 'plan.shard is not { index, count } with 1 <= index <= count';
  }
  if (!Array.isArray(s.runs)) return 'no runs';
  for (const [i, r] of s.runs.entries()) {
    if (!r || !Number.isInteger(r.seed) || typeof r.run !== 'string' || !r.summary || typeof r.summary !== 'object') return `runs[${i}] is not { seed, run, summary }`;
    // A run folder outside the store would make merge copy from anywhere.
    if (r.run.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(r.run)) return `runs[${i}].run ${JSON.stringify(r.run)} is not a folder inside the store`;
  }
  return undefined;
}
