// `npm run validate -- --mutants` (bench/lib/mutation-suite.ts): which
// mutants it runs, the `faultline test` each run is, and how runs add up to
// "caught". The runs themselves need Docker and are not made here.
import { describe, expect, it } from 'vitest';
import { catchRateLine, catchRates, mutantRecipe, mutantsToRun, summarizeMutant } from '../../bench/lib/mutation-suite.ts';
import { recipeTestArgs } from '../../cli/recipes/index.ts';
import { buildTest } from '../../harness/systems/index.ts';
import { MUTANTS, mutantsOf } from '../../raftkv/mutants.ts';

describe('validate --mutants', () => {
  it('runs a set, narrowed by --only; unknown names and sets are refused', () => {
    expect(mutantsToRun('all', undefined)).toEqual(Object.keys(MUTANTS));
    expect(mutantsToRun('held-out', undefined)).toEqual(mutantsOf('held-out'));
    expect(mutantsToRun('tuning', ['double-vote', 'term-not-restored'])).toEqual(['double-vote']);
    expect(() => mutantsToRun('all', ['nope'])).toThrow(/--only: unknown mutant\(s\) nope; known: quorum-off-by-one/);
    expect(() => mutantsToRun('some', undefined)).toThrow(/--set must be tuning, held-out or all/);
  });

  it('each run is the plain `faultline test` a new user would try, plus --mutant', () => {
    const args = recipeTestArgs(mutantRecipe('double-vote', 'set'), { seed: 3 }, ['--mutant', 'double-vote']);
    const test = buildTest(args, 3);
    expect(test.name).toBe('raftkv-mutant-double-vote-set-partition+kill+pause+clock+loss');
    expect(test.nodes).toHaveLength(5);
    expect(test.timeLimit).toBe(30);
    expect(test.options).toMatchObject({ bugs: [], mutants: ['double-vote'], nemesis: 'partition,kill,pause,clock,loss', nemesisInterval: '10s' });
  });

  it('a seed catches a mutant when either workload is invalid; caught means in at least half the seeds', () => {
    const run = (seed: number, workload: string, valid: boolean | 'unknown', firstAnomalyS?: number) => ({
      seed, workload, valid, wallS: 40, caughtBy: valid === false ? [workload === 'set' ? 'set' : 'linearizability'] : [], firstAnomalyS, acts: valid === false ? 3 : 0,
    });
    const s = summarizeMutant('double-vote', [
      run(1, 'register', true), run(1, 'set', false, 12),
      run(2, 'register', false, 20), run(2, 'set', false, 8),
      run(3, 'register', 'unknown'), run(3, 'set', true),
    ]);
    expect(s).toMatchObject({ seeds: 3, caughtSeeds: 2, caught: true, unknown: 1, wallS: 240, medianFirstAnomalyS: 10, actedRuns: 3, runs: 6 });
    expect(s.caughtBy).toEqual({ 'set:set': 2, 'register:linearizability': 1 });
    const missed = summarizeMutant('term-not-restored', [run(1, 'register', true), run(1, 'set', 'unknown')]);
    expect(missed).toMatchObject({ caught: false, caughtSeeds: 0 });
    expect(missed.medianFirstAnomalyS).toBeUndefined();
    expect(catchRateLine(catchRates([s, missed]))).toBe('mutants caught: 1/1 (tuning), 0/1 (held-out)');
  });
});
