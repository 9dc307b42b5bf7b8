// `faultline merge`'s rules, pure: which shard stores may be combined and
// what the combined summary is. Refused (UserError, exit 2):
//   - stores of different tests (definitions differ: another workload, rate, ...);
//   - different plans (--seed, --test-count or the shard count differ), since
//     their shards would not partition one set of seeds;
//   - overlap: one shard given twice, or a seed in two stores (a duplicate run);
//   - gaps: a shard not given, or a store missing some of its shard's runs,
//     so a merged verdict never silently covers fewer runs than the test asked.
// The result has the shape of an unsharded store's summary.json: the plan
// without `shard`, every run in plan order.
import { UserError } from '../history/index.ts';
import { formatShard, plannedRuns, type Shard } from '../harness/index.ts';
import { buildStoreSummary, type StoreRunEntry, type StoreSummary } from './store-summary.ts';

export interface MergeInput {
  /** How the store was named on the command line (for messages). */
  store: string;
  summary: StoreSummary;
}

/** One run of the merged store: where it comes from and the folder it gets ("<test>/<timestamp>", made unique). */
export interface MergedRun {
  from: { store: string; run: string };
  to: string;
}

export interface MergePlan {
  summary: StoreSummary;
  runs: MergedRun[];
}

export function mergeStoreSummaries(inputs: readonly MergeInput[]): MergePlan {
  if (inputs.length === 0) throw new UserError('merge: name at least one store');
  const [first] = inputs;
  for (const other of inputs.slice(1)) {
    const diff = firstDifference(first.summary.definition, other.summary.definition);
    if (diff) throw new UserError(`${first.store} and ${other.store} are runs of different tests: ${diff}`);
  }
  const { firstSeed, testCount } = first.summary.plan;
  const count = shardOf(first.summary).count;
  for (const other of inputs.slice(1)) {
    const p = other.summary.plan;
    if (p.firstSeed !== firstSeed || p.testCount !== testCount || shardOf(other.summary).count !== count) {
      throw new UserError(
        `${first.store} and ${other.store} split different plans: ${describePlan(first.summary)} vs ${describePlan(other.summary)}`,
        'every shard must be run with the same --seed, --test-count and n in --shard i/n',
      );
    }
  }

  const byShard = new Map<number, MergeInput>();
  const seedOwner = new Map<number, string>();
  for (const input of inputs) {
    const shard = shardOf(input.summary);
    const twice = byShard.get(shard.index);
    if (twice) throw new UserError(`shard ${formatShard(shard)} is given twice: ${twice.store} and ${input.store}`);
    byShard.set(shard.index, input);
    const expected = new Set(plannedRuns(firstSeed, testCount, shard).map((r) => r.seed));
    for (const r of input.summary.runs) {
      const owner = seedOwner.get(r.seed);
      if (owner !== undefined) throw new UserError(`seed ${r.seed} is in both ${owner} and ${input.store}: the stores overlap (a run done twice)`);
      seedOwner.set(r.seed, input.store);
      if (!expected.has(r.seed)) throw new UserError(`${input.store}: seed ${r.seed} is not one of shard ${formatShard(shard)}'s seeds under ${describePlan(input.summary)}`);
    }
    const missing = [...expected].filter((seed) => !input.summary.runs.some((r) => r.seed === seed));
    if (missing.length) {
      throw new UserError(`${input.store}: shard ${formatShard(shard)} lacks ${missing.length} of its ${expected.size} runs (seeds ${abbreviate(missing)}); did it finish?`);
    }
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byShard.has(i));
  if (absent.length) throw new UserError(`shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')} not given: the merge would miss their runs`);

  // Plan order (k), which is seed order unless the seeds wrapped past 2^32.
  const order = new Map(plannedRuns(firstSeed, testCount).map((r) => [r.seed, r.k]));
  const all = inputs.flatMap((input) => input.summary.runs.map((entry) => ({ input, entry })));
  all.sort((a, b) => order.get(a.entry.seed)! - order.get(b.entry.seed)!);
  const taken = new Set<string>();
  const runs: MergedRun[] = [];
  const entries: StoreRunEntry[] = [];
  for (const { input, entry } of all) {
    const to = uniqueFolder(entry.run, taken);
    runs.push({ from: { store: input.store, run: entry.run }, to });
    entries.push({ ...entry, run: to });
  }
  return { summary: buildStoreSummary(first.summary.definition, { firstSeed, testCount }, entries), runs };
}

/** A store without plan.shard is the whole plan: shard 1/1. */
function shardOf(summary: StoreSummary): Shard {
  return summary.plan.shard ?? { index: 1, count: 1 };
}

function describePlan(summary: StoreSummary): string {
  const { firstSeed, testCount } = summary.plan;
  return `--seed ${firstSeed} --test-count ${testCount} in ${shardOf(summary).count} shard(s)`;
}

/** "rate: 100 vs 200" for the first key whose value differs, or undefined when the definitions are equal. */
function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const [x, y] = [JSON.stringify(a[key]), JSON.stringify(b[key])];
    if (x !== y) return `${key}: ${x ?? '(not set)'} vs ${y ?? '(not set)'}`;
  }
  return undefined;
}

/** Two shards may have started a run in the same millisecond: the second folder gets a suffix, as createRunDir does. */
function uniqueFolder(run: string, taken: Set<string>): string {
  let to = run;
  for (let i = 1; taken.has(to); i++) to = `${run}-${i}`;
  taken.add(to);
  return to;
}

function abbreviate(seeds: readonly number[]): string {
  return seeds.length > 8 ? `${seeds.slice(0, 8).join(', ')}, ...` : seeds.join(', ');
}
