// faultline explore: look for a bug nobody planted. Many short seeded runs,
// fault schedules kept when they reach new Raft events and mutated
// (cli/explore), until a run is invalid or the budget runs out; then the
// schedule is shrunk and written for `faultline replay`.
// Exit codes as `faultline test`: 1 found an invalid run, 0 budget ran out
// clean, 2 bad input or a harness error.
import chalk from 'chalk';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomSeed } from '../../generator/index.ts';
import { UserError } from '../../history/index.ts';
import { systemByName, parseNodes, DOCKER_SYSTEM_NAMES } from '../../harness/systems/index.ts';
import { NEMESIS_NAMES, parseSeconds } from '../../nemeses/index.ts';
import { ensureEnvironment } from '../../clusters/index.ts';
import { writeRunArtifacts } from '../../reports/index.ts';
import { defineCommand } from './define.ts';
import { checkOutputFile } from '../output-paths.ts';
import { terminalSafe } from '../terminal.ts';
import { explore, describeFaults } from '../explore/explore.ts';
import { shrinkSchedule } from '../explore/shrink.ts';
import { exploreNemeses } from '../explore/defaults.ts';

/** `faultline test` options explore hands to every run unchanged. */
const FORWARDED = ['db', 'nodes', 'bug', 'mutant', 'concurrency', 'rate', 'op-timeout', 'read-mode', 'snapshot-every', 'max-append-entries', 'allow-ineffective-faults'] as const;

export const exploreCommand = defineCommand({
  command: 'explore',
  describe: 'Search for a bug nobody planted: coverage-guided fault schedules, shrunk and written for replay',
  builder: (y) =>
    y
      .option('db', { type: 'string', default: 'raftkv', describe: `system under test (${DOCKER_SYSTEM_NAMES.join(', ')})` })
      .option('workload', { type: 'string', default: 'register,set', describe: 'workloads the runs take turns with, comma-separated' })
      .option('nemesis', { type: 'string', describe: `faults to draw from, comma-separated (${NEMESIS_NAMES.slice(0, 8).join(', ')}, ...); default: Raft-aware kinds plus partition, kill, pause, loss, clock where the DB supports them` })
      .option('nodes', { type: 'string', default: '5', describe: 'node count, or names' })
      .option('budget', { type: 'string', default: '10m', describe: 'how long to explore: 2m, 90s (a run is started only while one fits)' })
      .option('run-time', { type: 'number', default: 10, describe: 'main phase of each run, seconds (at least 4)' })
      .option('shrink-budget', { type: 'string', default: '3m', describe: 'time for shrinking what was found (0: do not shrink)' })
      .option('seed', { type: 'number', describe: 'seed of the search (default: random, printed)' })
      .option('store', { type: 'string', default: 'store', describe: 'store folder for run results' })
      .option('out', { type: 'string', describe: 'where to write the schedule found (default: <store>/explore-<seed>.schedule.json)' })
      .option('bug', { type: 'string', array: true, describe: 'raftkv: switch on a seeded bug (repeatable)' })
      .option('mutant', { type: 'string', array: true, describe: 'raftkv: a planted Raft bug from the mutation suite (repeatable)' })
      .option('concurrency', { type: 'number', describe: 'client workers per run' })
      .option('rate', { type: 'number', describe: 'target client ops/s per run' })
      .option('op-timeout', { type: 'number', default: 2000, describe: 'client request timeout, ms' })
      .option('allow-ineffective-faults', { type: 'boolean', default: false, describe: 'as for faultline test' })
      .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' }),
  handler: async (args) => {
    const budgetS = parseSeconds(args.budget, '--budget');
    const shrinkS = args.shrinkBudget === '0' ? 0 : parseSeconds(args.shrinkBudget, '--shrink-budget');
    if (!(Number.isFinite(args.runTime) && args.runTime >= 4 && args.runTime <= 600)) throw new UserError(`--run-time must be from 4 to 600 seconds, got ${String(args.runTime)}`);
    const system = systemByName(args.db);
    if (!system.db) throw new UserError(`explore needs a system on Docker nodes; --db ${args.db} is not one (${DOCKER_SYSTEM_NAMES.join(', ')})`);
    const workloads = args.workload.split(',').map((w) => w.trim()).filter(Boolean);
    const unknown = workloads.find((w) => !system.workloads.includes(w));
    if (unknown !== undefined || workloads.length === 0) throw new UserError(`--workload: ${system.name} has no workload ${JSON.stringify(unknown ?? args.workload)}; it has ${system.workloads.join(', ')}`);
    const db = system.db(args as never);
    const { names, choices } = exploreNemeses(db, parseNodes(args.nodes).length, args.nemesis);
    const seed = args.seed ?? randomSeed();
    if (args.out) checkOutputFile(args.out, '--out');
    const out = resolve(args.out ?? join(args.store, `explore-${seed}.schedule.json`));
    const base = forwarded(args as unknown as Record<string, unknown>);
    const log = (line: string) => {
      if (!args.json) console.error(terminalSafe(line));
    };

    await ensureEnvironment({ log: (line) => log(chalk.cyan(`setup: ${line}`)) });
    // A setting the user gave stays fixed; explore turns the others.
    const knobs = (system.exploreKnobs ?? []).filter((k) => !base.includes(k.option));
    const turning = knobs.length ? `, settings turned per run: ${knobs.map((k) => `${k.option} ${k.values.join('|')}`).join(', ')}` : '';
    log(chalk.dim(`faultline explore: ${system.name}, seed ${seed}, budget ${budgetS} s, runs of ${args.runTime} s, workloads ${workloads.join(', ')}, faults ${names.join(', ')}${turning}`));
    const result = await explore({ base, workloads, knobs, space: { choices, options: { intervalS: 2 }, runS: args.runTime }, budgetS, seed, store: args.store, log });

    if (!result.found) {
      const summary = `no invalid run in ${result.runs.length} runs (${Math.round(result.elapsedS)} s): ${result.features.length} features reached, ${result.kept} schedules kept`;
      if (args.json) console.log(JSON.stringify({ found: false, seed, runs: result.runs, features: result.features }, null, 2));
      else console.log(`${chalk.green('clean')}  ${summary}`);
      process.exitCode = 0;
      return;
    }
    let { schedule } = result.found;
    let reportRun = result.found.outcome.dir;
    log(chalk.red(`found: run ${result.found.run.run} is INVALID (${result.found.run.caughtBy.join(', ')}) after ${Math.round(result.elapsedS)} s: ${describeFaults(schedule.faults)}`));
    writeFileSync(out, `${JSON.stringify(schedule, null, 2)}\n`);
    if (shrinkS > 0) {
      log(`shrinking for up to ${shrinkS} s ...`);
      const shrunk = await shrinkSchedule(schedule, { store: args.store, budgetS: shrinkS, log });
      schedule = shrunk.schedule;
      if (shrunk.outcome) reportRun = shrunk.outcome.dir;
      writeFileSync(out, `${JSON.stringify(schedule, null, 2)}\n`);
      log(`shrunk to ${describeFaults(schedule.faults)} in ${shrunk.tries} tries${shrunk.minimal ? '' : ' (budget ran out: not minimal)'}`);
    }
    const artifacts = await writeRunArtifacts(reportRun);
    if (args.json) console.log(JSON.stringify({ found: true, seed, schedule: out, run: reportRun, report: artifacts.report, runs: result.runs }, null, 2));
    else {
      console.log(`${chalk.red('INVALID')}  found by ${schedule.found?.caughtBy.join(', ')}; schedule ${out}`);
      console.log(`  report: ${artifacts.report}`);
      console.log(`  replay: faultline replay ${out}`);
    }
    process.exitCode = 1;
  },
});

/** The forwarded options as `faultline test` argv. */
function forwarded(args: Record<string, unknown>): string[] {
  const argv: string[] = [];
  for (const name of FORWARDED) {
    const key = name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const v = args[key];
    if (v === undefined || v === false) continue;
    if (v === true) argv.push(`--${name}`);
    else if (Array.isArray(v)) for (const x of v) argv.push(`--${name}`, String(x));
    else argv.push(`--${name}`, String(v));
  }
  return argv;
}
