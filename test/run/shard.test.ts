// Which runs a shard does (harness/shard.ts): the shards of one plan must
// split its runs exactly, none twice and none dropped, whatever n is.
import { describe, expect, it } from 'vitest';
import { parseShard, plannedRuns, runsOfShard, shardOfRun } from '../../harness/index.ts';

describe('shard selection', () => {
  it('run k goes to shard (k mod n) + 1', () => {
    expect(runsOfShard(7, { index: 1, count: 3 })).toEqual([0, 3, 6]);
    expect(runsOfShard(7, { index: 2, count: 3 })).toEqual([1, 4]);
    expect(runsOfShard(7, { index: 3, count: 3 })).toEqual([2, 5]);
    for (let k = 0; k < 7; k++) expect(runsOfShard(7, { index: shardOfRun(k, 3), count: 3 })).toContain(k);
  });

  it('the shards of any plan split its runs exactly: every run once, sizes within one of each other', () => {
    for (let total = 1; total <= 12; total++) {
      for (let count = 1; count <= 15; count++) {
        const shards = Array.from({ length: count }, (_, i) => runsOfShard(total, { index: i + 1, count }));
        const all = shards.flat().sort((a, b) => a - b);
        expect(all, `${total} runs in ${count} shards`).toEqual(Array.from({ length: total }, (_, k) => k));
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('more shards than runs leaves the last shards empty', () => {
    expect(runsOfShard(2, { index: 3, count: 5 })).toEqual([]);
    expect(plannedRuns(10, 2, { index: 2, count: 5 })).toEqual([{ k: 1, seed: 11 }]);
  });

  it('seeds are the first seed + k, wrapping as 32-bit seeds do; no shard is every run', () => {
    expect(plannedRuns(40, 3)).toEqual([{ k: 0, seed: 40 }, { k: 1, seed: 41 }, { k: 2, seed: 42 }]);
    expect(plannedRuns(2 ** 32 - 1, 4, { index: 2, count: 2 })).toEqual([{ k: 1, seed: 0 }, { k: 3, seed: 2 }]);
  });

  it.each([
    ['2/4', { index: 2, count: 4 }],
    [' 1 / 1 ', { index: 1, count: 1 }],
  ])('parses %j', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each([
    ['2', /--shard must be i\/n .*got "2"/],
    ['a/b', /--shard must be i\/n/],
    ['-1/3', /--shard must be i\/n/],
    ['1.5/3', /--shard must be i\/n/],
    ['0/3', /--shard 0\/3: shards count from 1 \(i from 1 to 3\)/],
    ['4/3', /--shard 4\/3: i must be at most n \(3\)/],
    ['1/0', /--shard 1\/0: n \(the number of shards\) must be at least 1/],
  ])('refuses %j', (text, message) => {
    expect(() => parseShard(text)).toThrow(message);
  });

  it("a 0-based index gets a hint about Kubernetes' JOB_COMPLETION_INDEX", () => {
    try {
      parseShard('0/3');
      expect.unreachable();
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/JOB_COMPLETION_INDEX counts from 0/);
    }
  });
});
