// `npm run validate`'s verdict on a list of runs, pure: per recipe the
// detection rate, first anomaly, catchers and fault tally, the targets
// missed, and the table. The runs may come from one process or from the
// shards it was spread over (validate-shards.ts): the same rows give the
// same table either way.
import type { CheckResult, FaultsDetails } from '../../checkers/index.ts';
import type { Validity } from '../../checkers/result.ts';
import { median } from './median.ts';

export interface FaultTally { injected: number; tookEffect: number; noEffect: number; unverified: number }
export const NO_FAULTS: FaultTally = { injected: 0, tookEffect: 0, noEffect: 0, unverified: 0 };

export interface RunRow {
  recipe: string;
  seed: number;
  valid: Validity;
  caughtBy: string[];
  firstAnomalyS?: number;
  firstAnomalyFromEvidence?: boolean;
  wallS: number;
  ops: number;
  dir: string;
  /** Faults whose start applied something, and how many of them the evidence shows took effect. */
  faults: FaultTally;
  error?: string;
}

/** The faults checker's tally of one run (every run has it: it is always on). */
export function faultTally(checkers: CheckResult[]): FaultTally {
  const details = checkers.find((c) => c.checker === 'faults')?.details as FaultsDetails | undefined;
  if (!details) return NO_FAULTS;
  return { injected: details.kinds.reduce((n, k) => n + k.injected, 0), ...details.counts };
}

export const addTallies = (rows: { faults: FaultTally }[]): FaultTally =>
  rows.reduce((t, r) => ({
    injected: t.injected + r.faults.injected,
    tookEffect: t.tookEffect + r.faults.tookEffect,
    noEffect: t.noEffect + r.faults.noEffect,
    unverified: t.unverified + r.faults.unverified,
  }), NO_FAULTS);

/** One run as a progress line: verdict, catchers, first anomaly, ops, faults, wall time. */
export function describeRow(row: RunRow): string {
  return (
    `${row.valid === false ? 'INVALID' : row.valid === true ? 'valid' : 'unknown'}` +
    (row.caughtBy.length ? ` by ${row.caughtBy.join(', ')}` : '') +
    (row.firstAnomalyS !== undefined ? `, first anomaly at ${row.firstAnomalyS.toFixed(1)} s${row.firstAnomalyFromEvidence ? '' : ' (run end)'}` : '') +
    `, ${row.ops} ops, faults took effect ${row.faults.tookEffect}/${row.faults.injected}` +
    `, ${row.wallS.toFixed(0)} s wall${row.error ? `, error: ${row.error}` : ''}`
  );
}

/** What a recipe expects, as the table says it. */
export interface RecipeExpectation {
  name: string;
  expect: { valid: Validity; caughtBy: readonly string[] };
}

export type RecipeSummary = ReturnType<typeof summarizeRecipe>;

export function summarizeRecipe(recipe: RecipeExpectation, rows: RunRow[]) {
  const invalid = rows.filter((r) => r.valid === false);
  const unknown = rows.filter((r) => r.valid === 'unknown');
  const catchers = new Map<string, number>();
  for (const r of invalid) for (const c of r.caughtBy) catchers.set(c, (catchers.get(c) ?? 0) + 1);
  return {
    recipe: recipe.name,
    expected: recipe.expect.valid === false ? `invalid by ${recipe.expect.caughtBy.join('|')}` : 'valid',
    runs: rows.length,
    invalid: invalid.length,
    unknown: unknown.length,
    detectionRate: invalid.length / rows.length,
    medianFirstAnomalyS: median(invalid.map((r) => r.firstAnomalyS!).filter((x) => x !== undefined)),
    caughtBy: Object.fromEntries(catchers),
    medianWallS: median(rows.map((r) => r.wallS)),
    maxWallS: Math.max(...rows.map((r) => r.wallS)),
    faults: addTallies(rows),
    errors: rows.filter((r) => r.error).map((r) => `seed ${r.seed}: ${r.error}`),
  };
}

/** Per recipe in `recipes` order, its rows' summary; a recipe without rows (another shard's) is left out. */
export function summarizeRecipes(recipes: readonly RecipeExpectation[], rows: readonly RunRow[]): RecipeSummary[] {
  return recipes.flatMap((recipe) => {
    const mine = rows.filter((r) => r.recipe === recipe.name);
    return mine.length ? [summarizeRecipe(recipe, mine)] : [];
  });
}

// The issue's bar: each bug found in at least 9 of 10 runs, no false positive, every run within 60 s.
export const DETECTION_TARGET = 0.9;
export const RUN_LIMIT_S = 60;

export function recipeMisses(summaries: readonly RecipeSummary[]): string[] {
  return summaries.flatMap((s) => {
    const out: string[] = [];
    if (s.expected === 'valid' ? s.invalid > 0 : s.detectionRate < DETECTION_TARGET) {
      out.push(s.expected === 'valid' ? `${s.recipe}: ${s.invalid} false positive(s)` : `${s.recipe}: detected ${s.invalid}/${s.runs}, below ${DETECTION_TARGET * 100}%`);
    }
    if (s.maxWallS > RUN_LIMIT_S) out.push(`${s.recipe}: a run took ${s.maxWallS.toFixed(0)} s (limit ${RUN_LIMIT_S} s)`);
    if (s.errors.length) out.push(`${s.recipe}: ${s.errors.length} run(s) failed: ${s.errors[0]}`);
    return out;
  });
}

/** The detection table and the lines under it, as printed. */
export function recipeTable(summaries: readonly RecipeSummary[], runCount: number, store: string): string[] {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lines = ['', 'recipe                          expected                                  detected   unknown  median 1st anomaly  max wall  faults took effect  caught by'];
  for (const s of summaries) {
    const isControl = s.expected === 'valid';
    const detected = isControl ? `FP ${s.invalid}/${s.runs}` : `${s.invalid}/${s.runs} ${pct(s.detectionRate)}`;
    const first = s.medianFirstAnomalyS === undefined ? '-' : `${s.medianFirstAnomalyS.toFixed(1)} s`;
    const by = Object.entries(s.caughtBy).map(([c, n]) => `${c} ${n}`).join(', ') || '-';
    lines.push(`${s.recipe.padEnd(32)}${s.expected.padEnd(42)}${detected.padEnd(11)}${String(s.unknown).padEnd(9)}${first.padEnd(20)}${`${s.maxWallS.toFixed(0)} s`.padEnd(10)}${`${s.faults.tookEffect}/${s.faults.injected}`.padEnd(20)}${by}`);
  }
  const faults = addTallies([...summaries]);
  const misses = recipeMisses(summaries);
  lines.push(
    '',
    `faults: ${faults.tookEffect}/${faults.injected} took effect, ${faults.noEffect} no effect, ${faults.unverified} could not be verified (over ${runCount} runs)`,
    `(false positives: runs of a recipe expected valid that came out invalid; runs in ${store})`,
    misses.length
      ? `targets missed (>= ${DETECTION_TARGET * 100}% detection, no false positive, <= ${RUN_LIMIT_S} s a run):\n${misses.map((m) => `  - ${m}`).join('\n')}`
      : `every target met: >= ${DETECTION_TARGET * 100}% detection, no false positive, every run <= ${RUN_LIMIT_S} s`,
  );
  return lines;
}
