// Spreading a test's seeded runs over machines (`faultline test --shard i/n`,
// `npm run validate -- --shard i/n`). The rule: run k (0-based, in plan
// order; for `faultline test` seed = first seed + k) belongs to shard
// (k mod n) + 1. Round-robin rather than blocks, so every shard gets a share
// of each recipe in validate's list and shard sizes differ by at most one;
// it needs nothing but k and n, so every job computes it alone.
import { UserError } from '../history/index.ts';

/** Shard `index` of `count`, counted from 1 as people and CI matrices do. */
export interface Shard {
  index: number;
  count: number;
}

/** The shard of run k among `count` shards. */
export function shardOfRun(k: number, count: number): number {
  return (k % count) + 1;
}

/** The 0-based run indices of `total` runs that `shard` does, in order (empty when the shard has no run). */
export function runsOfShard(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let k = shard.index - 1; k < total; k += shard.count) out.push(k);
  return out;
}

/** One run of a `faultline test` plan: its index and seed (seeds wrap as 32-bit, as the generator's do). */
export interface PlannedRun {
  k: number;
  seed: number;
}

/** The runs of `--seed first --test-count total`, only `shard`'s when given. */
export function plannedRuns(firstSeed: number, total: number, shard?: Shard): PlannedRun[] {
  const ks = shard ? runsOfShard(total, shard) : Array.from({ length: total }, (_, k) => k);
  return ks.map((k) => ({ k, seed: (firstSeed + k) >>> 0 }));
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** "2/4" -> { index: 2, count: 4 }; anything else is a UserError naming what is wrong. */
export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`${option} must be i/n (shard i of n, i from 1 to n), e.g. 2/4; got ${JSON.stringify(text)}`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  if (!Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count)) throw new UserError(`${option} ${text}: numbers too large`);
  if (shard.count < 1) throw new UserError(`${option} ${text}: n (the number of shards) must be at least 1`);
  if (shard.index < 1) {
    throw new UserError(`${option} ${text}: shards count from 1 (i from 1 to ${shard.count})`, "a Kubernetes Indexed Job's JOB_COMPLETION_INDEX counts from 0: pass $((JOB_COMPLETION_INDEX + 1))");
  }
  if (shard.index > shard.count) throw new UserError(`${option} ${text}: i must be at most n (${shard.count})`);
  return shard;
}
