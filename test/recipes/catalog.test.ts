// The recipe catalog: the promised recipes, each explained, each a valid
// `faultline test` (known db, bugs, workload, nemeses; builds a test).
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RECIPES, RECIPE_NAMES, recipeArgv, recipeByName, recipeTestArgs } from '../../cli/recipes/index.ts';
import { buildTest, SYSTEMS } from '../../harness/systems/index.ts';
import { BUGS } from '../../raftkv/bugs.ts';
import { NEMESIS_NAMES } from '../../nemeses/index.ts';
import { checkerNames } from '../../checkers/registry.ts';

describe('recipe catalog', () => {
  it('has exactly the promised recipes', () => {
    expect(RECIPE_NAMES).toEqual([
      'raftkv-stale-read',
      'raftkv-lease-read-clock',
      'raftkv-no-fsync',
      'raftkv-skip-fsync-power-loss',
      'raftkv-power-loss',
      'etcd-power-loss',
      'raftkv-corrupt',
      'raftkv-apply-index-race',
      'raftkv-no-prevote-asymmetric',
      'raftkv-old-term-commit',
      'raftkv-unsafe-snapshot',
      'etcd-serializable-stale-read',
      'etcd-failpoint-crash',
      'etcd-failpoint-watch',
      'etcd-lock-pause',
      'maelstrom-stale-read',
      'maelstrom-primary',
      'zookeeper-plain-read',
      'zookeeper-sync-read',
      'zookeeper-paused-leader-sync',
    ]);
    expect(new Set(RECIPE_NAMES).size).toBe(RECIPES.length);
  });

  it.each(RECIPES.map((r) => [r.name, r] as const))('%s: explained, known db/bugs/workload/nemeses/checkers, short and seeded', (_name, r) => {
    expect(r.title.length).toBeGreaterThan(20);
    // One real paragraph: the real-world bug, what the run does, why the checker sees it.
    expect(r.explanation.length).toBeGreaterThan(300);
    expect(r.explanation).not.toContain('\n');
    for (const bug of r.bugs) expect(Object.keys(BUGS)).toContain(bug);
    if (r.system) {
      // A definition file of the repository, run with --system instead of --db.
      expect(r.db).toBeUndefined();
      expect(existsSync(fileURLToPath(new URL(`../../${r.system}`, import.meta.url)))).toBe(true);
      expect(r.bugs).toEqual([]);
    } else if (r.db === 'raftkv') {
      // A raftkv recipe plants a bug, or is the expected-valid control of one.
      expect(r.bugs.length > 0 || r.expect.valid === true).toBe(true);
      expect(SYSTEMS.raftkv.workloads).toContain(r.workload);
    } else if (r.db === 'zookeeper') {
      expect(r.bugs).toEqual([]);
      expect(SYSTEMS.zookeeper.workloads).toContain(r.workload);
    } else {
      expect(r.db).toBe('etcd');
      expect(r.bugs).toEqual([]);
      expect(SYSTEMS.etcd.workloads).toContain(r.workload);
    }
    expect(r.nemesis.length).toBeGreaterThan(0);
    for (const n of r.nemesis) expect(NEMESIS_NAMES).toContain(n);
    for (const c of r.expect.caughtBy) expect(checkerNames()).toContain(c);
    if (r.expect.valid === false) expect(r.expect.caughtBy.length).toBeGreaterThan(0);
    expect(r.timeLimit).toBeLessThanOrEqual(60);
    expect(Number.isInteger(r.seed)).toBe(true);
  });

  it.each(RECIPES.map((r) => [r.name, r] as const))('%s: parses as `faultline test` options and builds a test with its checkers', (_name, r) => {
    // A failpoint recipe needs etcd's failpoint build, which a unit test does not make: any binary stands in (nothing runs).
    const needsBuild = r.nemesis.some((n) => n.startsWith('failpoint'));
    const args = recipeTestArgs(r, { seed: 7, timeLimit: 5 }, needsBuild ? ['--etcd-binary', '/usr/bin/etcd'] : []);
    expect(args).toMatchObject({ workload: r.workload, nemesis: r.nemesis.join(','), seed: 7, timeLimit: 5 });
    if (r.system) expect(args.system).toMatch(new RegExp(`/${r.system}$`));
    else expect(args.db).toBe(r.db);
    const test = buildTest(args, 7);
    expect(test.timeLimit).toBe(5);
    expect(test.nemesis).toBeDefined();
    // The run loop adds raft-protocol to the workload's checkers when the DB reads a Raft trace.
    const names = [...test.workload.checkers.map((c) => c.name), ...(test.db.raftTrace ? ['raft-protocol'] : [])];
    for (const c of r.expect.caughtBy) expect(names).toContain(c);
    // A definition without stateHash has no state to compare.
    if (!r.system) expect(names).toContain('divergence');
  });

  it('the argv names every option of the recipe, overrides win', () => {
    const r = recipeByName('etcd-lock-pause')!;
    const argv = recipeArgv(r, { seed: 42 });
    expect(argv.join(' ')).toContain('--db etcd --workload lock --nemesis pause-one,pause-minority');
    expect(argv.join(' ')).toContain('--seed 42');
    expect(argv.join(' ')).toContain('--concurrency 3');
    expect(argv.join(' ')).toContain('--op-timeout 10000');
    expect(recipeArgv(recipeByName('raftkv-no-fsync')!).join(' ')).toContain('--bug no-fsync');
    expect(recipeByName('nope')).toBeUndefined();
  });
});
