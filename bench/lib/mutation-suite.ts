// `npm run validate -- --mutants`: how many of raftkv's mutants (raftkv/mutants.ts)
// does an ordinary run catch? Each mutant gets the run a new user would try:
// the default nemesis mix on 5 nodes for 30 s, once with the register
// workload and once with the set workload. A seed catches the mutant when
// either run is invalid. The runs themselves are validate.ts's runOnce; this
// file chooses them and sums them up.
import { MUTANTS, mutantsOf, type MutantName, type MutantSet } from '../../raftkv/index.ts';
import type { Recipe } from '../../cli/recipes/index.ts';
import type { Validity } from '../../checkers/result.ts';
import { median } from './median.ts';

export const MUTANT_NEMESES = ['partition', 'kill', 'pause', 'clock', 'loss'];
export const MUTANT_WORKLOADS = ['register', 'set'] as const;
export const MUTANT_NODES = 5;
export const MUTANT_TIME_LIMIT_S = 30;

/** --set tuning | held-out | all, narrowed by --only NAME,... (names checked). */
export function mutantsToRun(set: string, only: readonly string[] | undefined): MutantName[] {
  if (set !== 'tuning' && set !== 'held-out' && set !== 'all') throw new Error(`--set must be tuning, held-out or all, got '${set}'`);
  const names = set === 'all' ? (Object.keys(MUTANTS) as MutantName[]) : mutantsOf(set);
  const unknown = only?.filter((n) => !Object.hasOwn(MUTANTS, n)) ?? [];
  if (unknown.length) throw new Error(`--only: unknown mutant(s) ${unknown.join(', ')}; known: ${Object.keys(MUTANTS).join(', ')}`);
  return only ? names.filter((n) => only.includes(n)) : names;
}

/** The plain run for one workload, as a recipe (no bug: the mutant is added as `--mutant NAME`). */
export function mutantRecipe(name: MutantName, workload: (typeof MUTANT_WORKLOADS)[number]): Recipe {
  return {
    name: `mutant-${name}-${workload}`,
    title: `mutant ${name} under the default nemesis mix, ${workload} workload`,
    explanation: MUTANTS[name].description,
    db: 'raftkv',
    bugs: [],
    workload,
    nemesis: MUTANT_NEMESES,
    nemesisInterval: '10s', // faultline test's default
    nodes: MUTANT_NODES,
    timeLimit: MUTANT_TIME_LIMIT_S,
    seed: 1,
    expect: { valid: false, caughtBy: [] },
  };
}

/** What the suite needs of one run (validate.ts's RunRow has it). */
export interface MutantRun {
  seed: number;
  valid: Validity;
  caughtBy: string[];
  firstAnomalyS?: number;
  /** Times the planted bug acted in the run (raftkv/mutants.ts MutantAct: once per node and term); absent when not read. */
  acts?: number;
  wallS: number;
  error?: string;
}

export interface MutantSummary {
  mutant: MutantName;
  set: MutantSet;
  seeds: number;
  /** Seeds where the register or the set run was invalid. */
  caughtSeeds: number;
  /** Caught in at least half its seeds. */
  caught: boolean;
  /** Runs (of either workload) that came out unknown. */
  unknown: number;
  /** Runs in which the planted bug acted at least once: a mutant that never acts was never reached by the faults. */
  actedRuns: number;
  runs: number;
  /** Checkers that found it, as workload:checker -> runs. */
  caughtBy: Record<string, number>;
  /** Median over caught seeds of the earliest first anomaly of the seed's invalid runs, seconds. */
  medianFirstAnomalyS?: number;
  /** Both workloads, every seed. */
  wallS: number;
  errors: string[];
}

export function summarizeMutant(mutant: MutantName, runs: ReadonlyArray<MutantRun & { workload: string }>): MutantSummary {
  const seeds = [...new Set(runs.map((r) => r.seed))];
  const caughtBy: Record<string, number> = {};
  const firsts: number[] = [];
  let caughtSeeds = 0;
  for (const seed of seeds) {
    const invalid = runs.filter((r) => r.seed === seed && r.valid === false);
    if (invalid.length === 0) continue;
    caughtSeeds++;
    for (const r of invalid) for (const c of r.caughtBy) caughtBy[`${r.workload}:${c}`] = (caughtBy[`${r.workload}:${c}`] ?? 0) + 1;
    const times = invalid.map((r) => r.firstAnomalyS).filter((t): t is number => t !== undefined);
    if (times.length) firsts.push(Math.min(...times));
  }
  return {
    mutant,
    set: MUTANTS[mutant].set,
    seeds: seeds.length,
    caughtSeeds,
    caught: seeds.length > 0 && caughtSeeds * 2 >= seeds.length,
    unknown: runs.filter((r) => r.valid === 'unknown').length,
    actedRuns: runs.filter((r) => (r.acts ?? 0) > 0).length,
    runs: runs.length,
    caughtBy,
    medianFirstAnomalyS: median(firsts),
    wallS: runs.reduce((t, r) => t + r.wallS, 0),
    errors: runs.filter((r) => r.error).map((r) => `${r.workload} seed ${r.seed}: ${r.error}`),
  };
}

export type CatchRates = Record<MutantSet, { caught: number; total: number }>;

export function catchRates(summaries: readonly MutantSummary[]): CatchRates {
  const rate = (set: MutantSet) => {
    const of = summaries.filter((s) => s.set === set);
    return { caught: of.filter((s) => s.caught).length, total: of.length };
  };
  return { tuning: rate('tuning'), 'held-out': rate('held-out') };
}

/** "mutants caught: X/Y (tuning), A/B (held-out)" */
export function catchRateLine(rates: CatchRates): string {
  return `mutants caught: ${rates.tuning.caught}/${rates.tuning.total} (tuning), ${rates['held-out'].caught}/${rates['held-out'].total} (held-out)`;
}

/** The per-mutant table, one line each. */
export function mutantTable(summaries: readonly MutantSummary[]): string[] {
  const lines = [`${'mutant'.padEnd(32)}${'set'.padEnd(10)}${'caught'.padEnd(14)}${'unknown'.padEnd(9)}${'acted in'.padEnd(10)}${'1st anomaly'.padEnd(13)}${'wall'.padEnd(8)}caught by`];
  for (const s of summaries) {
    const caught = `${s.caught ? 'yes' : 'no'} ${s.caughtSeeds}/${s.seeds}`;
    const first = s.medianFirstAnomalyS === undefined ? '-' : `${s.medianFirstAnomalyS.toFixed(1)} s`;
    const by = Object.entries(s.caughtBy).map(([c, n]) => `${c} ${n}`).join(', ') || '-';
    lines.push(`${s.mutant.padEnd(32)}${s.set.padEnd(10)}${caught.padEnd(14)}${String(s.unknown).padEnd(9)}${`${s.actedRuns}/${s.runs}`.padEnd(10)}${first.padEnd(13)}${`${s.wallS.toFixed(0)} s`.padEnd(8)}${by}`);
  }
  return lines;
}
