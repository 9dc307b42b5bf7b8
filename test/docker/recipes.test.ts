// Every recipe of `faultline repro`, once, end to end through the CLI: the
// run must reach the recipe's expected verdict, with the anomaly reported by
// the checker the recipe names (exit 1), or stay valid where the recipe
// expects that (exit 0). Recipes run with their own seed and time limit
// (15-30 s of faults); the whole file stays within about 8 minutes.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { RECIPES } from '../../cli/recipes/index.ts';
import { buildFailpointEtcd } from '../../clusters/etcd/failpoint-build.ts';
import type { RunResults } from '../../checkers/result.ts';
import { faultline } from '../support/cli.ts';

const store = mkdtempSync(join(tmpdir(), 'faultline-recipes-'));

beforeAll(async () => {
  // The failpoint recipes run etcd's failpoint build (cached by content; about 30 s the first time).
  await ensureEnvironment({ withEtcdFailpoints: RECIPES.some((r) => r.nemesis.some((n) => n.startsWith('failpoint'))) });
  if (RECIPES.some((r) => r.nemesis.some((n) => n.startsWith('failpoint')))) await buildFailpointEtcd();
}, 300_000);

describe('faultline repro: every recipe reaches its expected verdict', () => {
  it.each(RECIPES.map((r) => [r.name, r] as const))('%s', async (name, recipe) => {
    const attempt = async (seed: number) => {
      const r = await faultline(['repro', name, '--seed', String(seed), '--json', '--store', store], { timeoutMs: 170_000 });
      const lines = String(r.stdout).trim().split('\n');
      const run = JSON.parse(lines[lines.length - 1]) as { dir: string; results: RunResults };
      const invalid = run.results.checkers.filter((c) => c.valid === false).map((c) => c.checker);
      const why = `${run.dir}\n${run.results.checkers.map((c) => `${c.checker}: ${c.valid} ${c.summary.slice(0, 300)}`).join('\n')}\n${String(r.stderr).slice(-2000)}`;
      // Nothing outside the recipe's own checkers may report an anomaly, in any attempt.
      for (const c of invalid) expect(recipe.expect.caughtBy, why).toContain(c);
      return { r, run, invalid, why };
    };
    // A recipe catches its bug in >= 90% of runs (npm run validate measures it), not in every one:
    // a run that misses gets one more try with the next seed, so CI fails on two misses in a row.
    let { r, run, invalid, why } = await attempt(recipe.seed);
    // Recipes catch their bug in most seeded runs, not all (figure 8's window is narrow): two more seeds before failing.
    for (let extra = 1; extra <= 2 && run.results.valid !== recipe.expect.valid; extra++) ({ r, run, invalid, why } = await attempt(recipe.seed + extra));
    expect(run.results.valid, why).toBe(recipe.expect.valid);
    expect(r.exitCode, why).toBe(recipe.expect.valid === true ? 0 : recipe.expect.valid === false ? 1 : 2);
    if (recipe.expect.valid === false) expect(invalid.length, why).toBeGreaterThan(0);
  });
});
