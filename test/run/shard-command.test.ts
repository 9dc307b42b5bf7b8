// `faultline test --shard i/n` and `faultline merge` end to end on the
// in-memory system (no Docker): shards of a plan merge into the store the
// unsharded run writes, `faultline serve`'s index shows it, and bad input is
// refused with exit 2 before anything is written.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runsOfShard } from '../../harness/index.ts';
import { mergeStores, writeStoreSummary, type StoreSummary } from '../../reports/index.ts';
import { StoreIndex } from '../../reports/store-index.ts';
import { faultline } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'faultline-shard-'));
const at = (name: string) => join(root, name);
// Small, quick runs: a few dozen ops each.
const TEST = ['test', '--db', 'memory', '--nodes', '3', '--rate', '100', '--time-limit', '0.3', '--seed', '20'];
const readSummary = (store: string): StoreSummary => JSON.parse(readFileSync(join(store, 'summary.json'), 'utf8')) as StoreSummary;

/** What must match between two runs of the same seed (op counts and times differ from run to run). */
const shape = (s: StoreSummary) => ({
  definition: s.definition,
  plan: s.plan,
  valid: s.valid,
  counts: s.counts,
  runs: s.runs.map((r) => ({ seed: r.seed, name: r.summary.name, valid: r.summary.valid, checkers: r.summary.checkers.map((c) => [c.checker, c.valid]) })),
});

describe('faultline test --shard and faultline merge', () => {
  beforeAll(async () => {
    const runs = await Promise.all([
      faultline([...TEST, '--test-count', '4', '--store', at('all')]),
      faultline([...TEST, '--test-count', '4', '--shard', '1/2', '--store', at('s1')]),
      faultline([...TEST, '--test-count', '4', '--shard', '2/2', '--store', at('s2')]),
    ]);
    for (const r of runs) expect(r.exitCode, String(r.stderr)).toBe(0);
  }, 120_000);

  it('each shard runs its share of the seeds and says which', async () => {
    expect(readSummary(at('s1')).runs.map((r) => r.seed)).toEqual([20, 22]);
    expect(readSummary(at('s2')).runs.map((r) => r.seed)).toEqual([21, 23]);
    expect(readSummary(at('s1')).plan).toEqual({ firstSeed: 20, testCount: 4, shard: { index: 1, count: 2 } });
    // The reproduce line of a shard's run is the run alone: its seed, no --shard.
    const run = readSummary(at('s2')).runs[0].run;
    const command = (JSON.parse(readFileSync(join(at('s2'), run, 'test.json'), 'utf8')) as { command: string }).command;
    expect(command).toMatch(/--seed 21$/);
    expect(command).not.toContain('--shard');
  });

  it('two shards merge to the summary of the unsharded run with the same seeds', async () => {
    const r = await faultline(['merge', at('s1'), at('s2'), '--out', at('merged')]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/valid {2}4 run\(s\) of 4/);
    const merged = readSummary(at('merged'));
    expect(shape(merged)).toEqual(shape(readSummary(at('all'))));
    expect(merged.plan).toEqual({ firstSeed: 20, testCount: 4 });
    // One JUnit file over every run, and faultline serve's index lists them all.
    const junit = readFileSync(join(at('merged'), 'junit.xml'), 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(4);
    const served = await new StoreIndex(at('merged')).runs();
    expect(served.map((s) => s.id).sort()).toEqual(merged.runs.map((s) => s.run).sort());
    expect(served.every((s) => s.hasReport && s.valid === true)).toBe(true);
  });

  it("rebuilt from the unsharded run's own folders, the shards merge to exactly its summary.json", async () => {
    const all = readSummary(at('all'));
    for (const index of [1, 2, 3]) {
      const store = at(`rebuilt-${index}`);
      mkdirSync(store);
      const mine = runsOfShard(4, { index, count: 3 }).map((k) => all.runs[k]);
      for (const r of mine) cpSync(join(at('all'), r.run), join(store, r.run), { recursive: true });
      await writeStoreSummary(store, all.definition, { ...all.plan, shard: { index, count: 3 } }, mine.map((r) => ({ seed: r.seed, dir: join(store, r.run) })));
    }
    const merged = await mergeStores([3, 1, 2].map((i) => at(`rebuilt-${i}`)), at('rebuilt-merged'));
    expect(merged.summary).toEqual(all);
    expect(readSummary(at('rebuilt-merged'))).toEqual(all);
  });

  it('more shards than runs: an empty shard says so, exits 0 and leaves an empty summary that merges', async () => {
    const shard = (i: number) => faultline([...TEST, '--test-count', '2', '--shard', `${i}/3`, '--store', at(`few-${i}`)]);
    const [one, two, three] = await Promise.all([shard(1), shard(2), shard(3)]);
    expect(three.exitCode).toBe(0);
    expect(three.stderr).toContain('shard 3/3 has no runs: --test-count 2 gives runs to shards 1-2 of 3 only');
    expect(readSummary(at('few-3'))).toMatchObject({ valid: true, counts: { runs: 0 }, runs: [], plan: { shard: { index: 3, count: 3 } } });
    expect([one.exitCode, two.exitCode]).toEqual([0, 0]);
    const merged = await faultline(['merge', at('few-1'), at('few-2'), at('few-3'), '--out', at('few-merged'), '--json']);
    expect(merged.exitCode, String(merged.stderr)).toBe(0);
    expect((JSON.parse(String(merged.stdout)) as StoreSummary).runs.map((r) => r.seed)).toEqual([20, 21]);
  });

  it.each([
    [['--shard', 'half'], /--shard must be i\/n \(shard i of n, i from 1 to n\), e\.g\. 2\/4; got "half"/],
    [['--shard', '0/2'], /--shard 0\/2: shards count from 1[\s\S]*JOB_COMPLETION_INDEX/],
    [['--shard', '3/2'], /--shard 3\/2: i must be at most n \(2\)/],
    [['--shard', '1/0'], /--shard 1\/0: n \(the number of shards\) must be at least 1/],
  ])('faultline test %j is refused with exit 2, nothing written', async (args, message) => {
    const store = at('never');
    const r = await faultline([...TEST, '--test-count', '4', ...args, '--store', store]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(store)).toBe(false);
  });

  it('a shard without --seed is refused: the shards would draw different seeds', async () => {
    const r = await faultline(['test', '--db', 'memory', '--time-limit', '0.3', '--test-count', '4', '--shard', '1/2', '--store', at('never')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--shard needs --seed');
    expect(existsSync(at('never'))).toBe(false);
  });

  it('merge refuses missing stores, non-stores, overlaps, other tests and a used --out (exit 2)', async () => {
    // An empty shard of a test with another --rate: written at once, no run needed.
    const other = await faultline(['test', '--db', 'memory', '--nodes', '3', '--rate', '50', '--time-limit', '0.3', '--seed', '20', '--test-count', '1', '--shard', '2/2', '--store', at('other')]);
    expect(other.exitCode).toBe(0);
    const run = readSummary(at('s1')).runs[0].run;
    const cases: Array<[string[], RegExp]> = [
      [[at('s1'), at('nowhere')], /nowhere: no such store/],
      [[join(at('s1'), run)], /summary\.json: not a store summary: it is one run's summary \(a run folder\): name the store/],
      [[join(at('s1'), 'memory-register-none')], /summary\.json: missing, so .* holds no finished faultline test/],
      [[at('s1'), at('s1')], /shard 1\/2 is given twice/],
      [[at('s1')], /shard 2\/2 not given: the merge would miss their runs/],
      [[at('s1'), at('other')], /are runs of different tests: rate: 100 vs 50/],
      [[at('s1'), at('s2'), '--out', at('merged')], /--out .*merged is not empty/],
    ];
    for (const [args, message] of cases) {
      const r = await faultline(['merge', ...args, ...(args.includes('--out') ? [] : ['--out', at('refused')])]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(existsSync(at('refused'))).toBe(false);
    }
  });
});
