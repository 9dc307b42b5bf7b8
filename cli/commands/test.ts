// faultline test: build a test from options (the system table,
// harness/systems), run it (harness/run), print the verdict. A new system
// plugs into harness/systems/index.ts; its options into testOptions().
import fs from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import { exitCodeFor, worstValidity, type Validity } from '../../checkers/index.ts';
import { UserError } from '../../history/index.ts';
import { randomSeed } from '../../generator/index.ts';
import { buildTest, chosenSystem, DEFAULT_SYSTEM, SYSTEMS, SYSTEM_NAMES } from '../../harness/systems/index.ts';
import { NEMESIS_NAMES } from '../../nemeses/index.ts';
import { writeJUnit, writeRunArtifacts, writeStoreSummary } from '../../reports/index.ts';
import { formatShard, parseShard, plannedRuns } from '../../harness/index.ts';
import { RUN_FILES } from '../../harness/run-folder/index.ts';
import { ensureEnvironment, listRuns } from '../../clusters/index.ts';
import { runTest, type RunOutcome } from '../../harness/run/index.ts';
import { defineCommand } from './define.ts';
import { terminalSafe } from '../terminal.ts';
import { checkOutputFile } from '../output-paths.ts';
import { leftoversWarning } from '../leftovers.ts';
import yargs, { type Argv } from 'yargs';

export function testOptions<T>(y: Argv<T>) {
  return y
    // No yargs default: --db etcd is applied in buildTest, so a --db given next to --system can be refused.
    .option('db', { type: 'string', describe: `system under test (default ${DEFAULT_SYSTEM}): ${SYSTEM_NAMES.map((n) => `${n} (${SYSTEMS[n].describe}; workloads ${SYSTEMS[n].workloads.join(', ')})`).join('; ')}` })
    .option('system', { type: 'string', describe: 'system under test described by a definition file (JSON or YAML; README "Test your own system"); instead of --db' })
    .option('workload', { type: 'string', default: 'register', describe: 'workload' })
    .option('nemesis', {
      type: 'string',
      describe: `faults to inject, comma-separated (${NEMESIS_NAMES.join(', ')}), or none; default partition,kill (memory db: none|partition; delay: raftkv only, no netem here)`,
    })
    .option('nemesis-interval', { type: 'string', default: '10s', describe: 'quiet period before each fault (and its length): 10, 10s, 500ms' })
    .option('nemesis-overlap', {
      type: 'boolean',
      default: false,
      describe: 'each fault kind on a timeline of its own, so faults of different kinds overlap (a partition during a clock jump); default one fault at a time',
    })
    .option('delay-probability', { type: 'number', describe: 'delay faults: share of a node\'s outgoing peer messages held back, (0, 1] (default 0.5)' })
    .option('delay-max', { type: 'string', describe: 'delay faults: longest hold of one message: 1s, 300ms (default 1s)' })
    .option('failpoints', { type: 'string', describe: 'failpoint faults: which to arm, etcd\'s names comma-separated (raftBeforeSave,beforeCommit ...; default every one the DB has)' })
    .option('allow-ineffective-faults', {
      type: 'boolean',
      default: false,
      describe: 'a fault kind that never took effect (no evidence it was in force) leaves the run valid with a note, instead of unknown (exit 2)',
    })
    // No yargs default: with --hosts the nodes are the hosts, and a --nodes that disagrees is refused.
    .option('nodes', { type: 'string', describe: 'node count, or names: n1,n2,n3 (default 5; with --hosts, one per host)' })
    .option('hosts', {
      type: 'string',
      describe: 'run the nodes on these machines over SSH instead of containers: a hosts file (faultline hosts up writes one; etcd and raftkv)',
    })
    .option('concurrency', { type: 'number', describe: 'client workers (default: two per node on etcd and raftkv, one per node on memory)' })
    .option('rate', { type: 'number', describe: 'target client ops/s across workers (default: unlimited)' })
    .option('time-limit', { type: 'number', default: 60, describe: 'main phase length, seconds (longer than --nemesis-interval, or no fault fits); a fault still being applied when it ends keeps the clients going until it is done' })
    .option('seed', { type: 'number', describe: 'random seed (default: random, printed; test.json keeps it)' })
    .option('test-count', { type: 'number', default: 1, describe: 'run the test this many times (seed + i)' })
    .option('shard', {
      type: 'string',
      describe: 'i/n: run only shard i of n of the --test-count runs (run k, seed + k, is shard (k mod n) + 1); needs --seed; each shard its own --store, then faultline merge',
    })
    .option('store', { type: 'string', default: 'store', describe: 'store folder for run results' })
    .option('op-timeout', { type: 'number', default: 5000, describe: 'client request timeout, ms (then the op is info)' })
    .option('read-mode', {
      choices: ['linearizable', 'serializable'] as const,
      default: 'linearizable' as const,
      describe: "etcd reads: linearizable (quorum) or serializable (local, may be stale)",
    })
    .option('snapshot-every', { type: 'number', describe: 'raftkv: compact the log into a snapshot every N applied entries (server default 1000)' })
    .option('max-append-entries', { type: 'number', describe: 'raftkv: most log entries in one AppendEntries message (server default 256)' })
    .option('bug', { type: 'string', array: true, describe: 'raftkv: switch on a seeded bug (repeatable): stale-read, lease-read, no-fsync, ...' })
    .option('mutant', {
      type: 'string',
      array: true,
      describe: 'raftkv: a planted Raft bug from the mutation suite, for measuring faultline itself (repeatable; e.g. quorum-off-by-one; raftkv/README.md lists them)',
    })
    .option('etcd-binary', { type: 'string', describe: 'etcd binary copied into the node image (default /usr/bin/etcd)' })
    .option('image', { type: 'string', describe: 'use this existing node image instead of building one (never pulled)' })
    .option('junit', { type: 'string', describe: 'also write JUnit XML for CI (one testcase per checker per run) to this file' })
    .option('json', { type: 'boolean', default: false, describe: 'print each run as JSON' });
}

export type TestArgs = Awaited<ReturnType<typeof testOptions>['argv']>;

/** Options that say where a test's runs go and which of its seeds they take, not what the test is. */
const PLACEMENT = new Set(['seed', 'testCount', 'shard', 'store', 'junit', 'json']);

/** The test as its options define it (store/summary.json's `definition`): shards of one test agree on it. */
export function testDefinitionOf(args: Record<string, unknown>): Record<string, unknown> {
  // yargs gives every option twice (kebab-case and camelCase) plus _ and $0: keep the camelCase ones.
  return Object.fromEntries(Object.entries(args).filter(([k, v]) => v !== undefined && /^[a-z][A-Za-z]*$/.test(k) && !PLACEMENT.has(k)));
}

/** `faultline test` options from an argv list (a recipe, a schedule file), parsed as the command line is; `source` names it in errors. */
export function parseTestArgv(argv: readonly string[], source: string): TestArgs {
  return testOptions(yargs([...argv]))
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UserError(`${source}: ${msg}`);
    })
    .parseSync() as TestArgs;
}

/** argv minus `--name value` / `--name=value` for each name (every option here takes a value). */
export function withoutOptions(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = names.find((n) => a === `--${n}` || a.startsWith(`--${n}=`));
    if (name === undefined) out.push(a);
    else if (a === `--${name}`) i++; // skip its value
  }
  return out;
}

async function warnAboutLeftovers(): Promise<void> {
  const warning = leftoversWarning(await listRuns());
  if (warning) console.error(chalk.yellow(`warning: ${warning}`));
}

const mark = (v: Validity): string => (v === true ? chalk.green('valid') : v === false ? chalk.red('INVALID') : chalk.yellow('unknown'));

export const testCommand = defineCommand({
  command: 'test',
  describe: 'Run a test: workload + faults against a cluster, then check the history',
  builder: (y) => testOptions(y),
  handler: async (args) => {
    if (!Number.isInteger(args.testCount) || args.testCount < 1) throw new UserError('--test-count must be a positive integer');
    if (args.junit) checkOutputFile(args.junit, '--junit');
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    // A random first seed differs per shard: the shards would not split one set of runs.
    if (shard && args.seed === undefined) throw new UserError('--shard needs --seed, so every shard draws its runs from the same seeds');
    const firstSeed = args.seed ?? randomSeed();
    const planned = plannedRuns(firstSeed, args.testCount, shard);
    const plan = { firstSeed, testCount: args.testCount, ...(shard ? { shard } : {}) };
    const definition = testDefinitionOf(args);
    // A bad --system file or --db name is refused here, before Docker is touched and before an empty shard says all is well.
    const system = chosenSystem(args);
    if (planned.length === 0) {
      // n > --test-count: this shard has nothing to do; its empty summary still lets merge see every shard.
      console.error(chalk.yellow(`faultline: shard ${formatShard(shard!)} has no runs: --test-count ${args.testCount} gives runs to shards 1-${args.testCount} of ${shard!.count} only`));
      fs.mkdirSync(args.store, { recursive: true });
      await writeStoreSummary(args.store, definition, plan, []);
      if (args.junit) await writeJUnit([], args.junit);
      return;
    }
    // The test itself is built after the set-up, which installs what the built-in systems need, etcd's binary included.
    if (system.db) {
      await ensureEnvironment({ log: (line) => console.error(chalk.cyan(`setup: ${line}`)) });
      await warnAboutLeftovers();
    }
    if (shard && !args.json) console.error(chalk.dim(`faultline: shard ${formatShard(shard)}: ${planned.length} of ${args.testCount} runs (seeds ${planned.map((r) => r.seed).join(', ')})`));
    // A summary left by an earlier test in this store must not pass for this one's if it stops before its first run.
    fs.rmSync(path.join(args.store, RUN_FILES.summary), { force: true });
    const outcomes: RunOutcome[] = [];
    const done: Array<{ seed: number; dir: string }> = [];
    for (const { seed } of planned) {
      const test = buildTest(args, seed);
      if (!args.json) console.error(chalk.dim(`faultline: ${test.name}, seed ${seed}`));
      let artifacts = { report: '', summary: '' };
      const out = await runTest(test, {
        store: args.store,
        opTimeoutMs: args.opTimeout,
        status: args.json ? 'off' : 'auto',
        // The reproduce line pins this run's own seed.
        command: ['faultline', ...withoutOptions(process.argv.slice(2), ['seed', 'test-count', 'shard']), '--seed', String(seed)],
        onEvent: (e) => {
          if (!args.json && e.type === 'warning') console.error(chalk.yellow(`warning: ${e.message}`));
        },
        // Also after an error or a signal: every run folder gets its report.
        onResults: async (dir) => (artifacts = await writeRunArtifacts(dir)),
      });
      outcomes.push(out);
      // After every run, so a shard stopped part-way still tells merge which runs it has.
      done.push({ seed, dir: out.dir });
      await writeStoreSummary(args.store, definition, plan, done);
      if (args.json) console.log(JSON.stringify({ dir: out.dir, seed, results: out.results, ...artifacts }));
      else {
        for (const c of out.results.checkers) console.log(`${mark(c.valid)}  ${c.checker}: ${terminalSafe(c.summary)}`);
        console.log(`${mark(out.results.valid)}  ${out.dir}  (report: ${artifacts.report})`);
      }
    }
    if (args.junit) await writeJUnit(outcomes.map((o) => o.dir), args.junit);
    process.exitCode = exitCodeFor(worstValidity(outcomes.map((o) => o.results.valid)));
  },
});
