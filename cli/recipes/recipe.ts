// A recipe: a ready-made `faultline test` that reproduces one known failure
// class, with the verdict it should reach and the checker that should catch
// it. A recipe is nothing but test options: `faultline repro NAME` parses
// them with the very option parser of `faultline test` and runs the same
// handler, so a recipe and the `faultline test ...` line it prints are the
// same run.
import { fileURLToPath } from 'node:url';
import { parseTestArgv, type TestArgs } from '../commands/test.ts';
import type { Validity } from '../../checkers/index.ts';

export interface Recipe {
  name: string;
  /** One line for `repro --list`. */
  title: string;
  /** The real-world bug it mirrors, what the run does, and why the checker sees it. */
  explanation: string;
  /** A built-in system (--db) ... */
  db?: 'raftkv' | 'etcd' | 'zookeeper';
  /** ... or a system definition file (--system), relative to the repository root, e.g. examples/maelstrom-stale/system.json. */
  system?: string;
  /** raftkv seeded bugs (raftkv/bugs.ts). */
  bugs: string[];
  workload: string;
  /** --nemesis names (nemeses/: kinds or kind-variant), in schedule order of preference. */
  nemesis: string[];
  /** Quiet period before each fault, and its length. */
  nemesisInterval: string;
  /** Faults of different kinds on timelines of their own, so they overlap (--nemesis-overlap). */
  nemesisOverlap?: boolean;
  /** Delay faults: share of peer messages held back (--delay-probability) and the longest hold (--delay-max). */
  delayProbability?: number;
  delayMax?: string;
  nodes: number;
  concurrency?: number;
  /** Main phase, seconds. */
  timeLimit: number;
  seed: number;
  /** Client request timeout, ms. */
  opTimeout?: number;
  rate?: number;
  readMode?: 'linearizable' | 'serializable';
  /** raftkv log compaction interval, applied entries. */
  snapshotEvery?: number;
  /** raftkv: most log entries per AppendEntries message. */
  maxAppendEntries?: number;
  expect: {
    /** The overall verdict a run should reach. */
    valid: Validity;
    /** Checkers that should report the anomaly (any of them counts); the first is the usual one. */
    caughtBy: string[];
  };
}

export interface RecipeOverrides {
  seed?: number;
  timeLimit?: number;
}

/** A recipe's definition file, found from the repository root whatever the working folder. */
const definitionFile = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

/** The `faultline test` arguments a recipe stands for (without the program name). */
export function recipeArgv(recipe: Recipe, overrides: RecipeOverrides = {}): string[] {
  const argv = [
    ...(recipe.system ? ['--system', definitionFile(recipe.system)] : ['--db', recipe.db ?? 'etcd']),
    '--workload', recipe.workload,
    '--nemesis', recipe.nemesis.length ? recipe.nemesis.join(',') : 'none',
    '--nemesis-interval', recipe.nemesisInterval,
    '--nodes', String(recipe.nodes),
    '--time-limit', String(overrides.timeLimit ?? recipe.timeLimit),
    '--seed', String(overrides.seed ?? recipe.seed),
  ];
  if (recipe.nemesisOverlap) argv.push('--nemesis-overlap');
  if (recipe.delayProbability !== undefined) argv.push('--delay-probability', String(recipe.delayProbability));
  if (recipe.delayMax !== undefined) argv.push('--delay-max', recipe.delayMax);
  for (const bug of recipe.bugs) argv.push('--bug', bug);
  if (recipe.concurrency !== undefined) argv.push('--concurrency', String(recipe.concurrency));
  if (recipe.opTimeout !== undefined) argv.push('--op-timeout', String(recipe.opTimeout));
  if (recipe.rate !== undefined) argv.push('--rate', String(recipe.rate));
  if (recipe.readMode !== undefined) argv.push('--read-mode', recipe.readMode);
  if (recipe.snapshotEvery !== undefined) argv.push('--snapshot-every', String(recipe.snapshotEvery));
  if (recipe.maxAppendEntries !== undefined) argv.push('--max-append-entries', String(recipe.maxAppendEntries));
  return argv;
}

/** The parsed `faultline test` options of a recipe, plus any extra flags (e.g. --store DIR, --json). */
export function recipeTestArgs(recipe: Recipe, overrides: RecipeOverrides = {}, extra: readonly string[] = []): TestArgs {
  return parseTestArgv([...recipeArgv(recipe, overrides), ...extra], `recipe ${recipe.name}`);
}
