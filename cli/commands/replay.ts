// faultline replay SCHEDULE: re-run a schedule explore wrote (or one written
// by hand): the same options, seed and faults at the same times. With
// --times N it runs N times and says how many reproduced the verdict the
// schedule was found with: timing differs from run to run (real processes,
// real networks), so a schedule reproduces at a rate, not always. --repeat K
// plays the schedule's faults K times in one run K times as long, giving a
// timing-dependent window K chances per run (harness/explore/repeat.ts).
// Exit codes as `faultline test`, for the worst run: 1 invalid, 0 valid, 2 unknown or error.
import chalk from 'chalk';
import { readFileSync } from 'node:fs';
import { exitCodeFor, worstValidity, type Validity } from '../../checkers/index.ts';
import { UserError } from '../../history/index.ts';
import { parseScheduleFile, repeatSchedule } from '../../harness/explore/index.ts';
import { ensureEnvironment } from '../../clusters/index.ts';
import { defineCommand } from './define.ts';
import { terminalSafe } from '../terminal.ts';
import { describeFaults } from '../explore/explore.ts';
import { runSchedule, scheduleTestArgs } from '../explore/run-schedule.ts';

const mark = (v: Validity): string => (v === true ? chalk.green('valid') : v === false ? chalk.red('INVALID') : chalk.yellow('unknown'));

export const replayCommand = defineCommand({
  command: 'replay <schedule>',
  describe: 'Re-run a fault schedule written by explore and tell whether it reproduces',
  builder: (y) =>
    y
      .positional('schedule', { type: 'string', demandOption: true, describe: 'a schedule file (explore writes one; every explore run folder holds its schedule.json)' })
      .option('times', { type: 'number', default: 1, describe: 'run it this many times (1-100) and count the reproductions' })
      .option('repeat', { type: 'number', default: 1, describe: 'play the faults this many times (1-10) in each run, back to back, the run that many times as long: more chances for a timing-dependent window' })
      .option('store', { type: 'string', default: 'store', describe: 'store folder for run results' })
      .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' }),
  handler: async (args) => {
    if (!(Number.isInteger(args.times) && args.times >= 1 && args.times <= 100)) throw new UserError(`--times must be a whole number from 1 to 100, got ${String(args.times)}`);
    if (!(Number.isInteger(args.repeat) && args.repeat >= 1 && args.repeat <= 10)) throw new UserError(`--repeat must be a whole number from 1 to 10, got ${String(args.repeat)}`);
    let text: string;
    try {
      text = readFileSync(args.schedule, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read ${args.schedule}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const found = parseScheduleFile(text, args.schedule);
    const repeated = repeatSchedule(found.faults, args.repeat, scheduleTestArgs(found, [], args.schedule).timeLimit);
    const override = args.repeat > 1 ? ['--time-limit', String(repeated.runS)] : [];
    const schedule = { ...found, faults: repeated.faults };
    const expected = schedule.found?.valid;
    const log = (line: string) => {
      if (!args.json) console.error(terminalSafe(line));
    };
    await ensureEnvironment({ log: (line) => log(chalk.cyan(`setup: ${line}`)) });
    log(chalk.dim(`faultline replay: ${describeFaults(found.faults)}${args.repeat > 1 ? ` played ${args.repeat} times in ${repeated.runS} s` : ''}${expected === undefined ? '' : `; found ${expected === false ? 'INVALID' : String(expected)}`}`));
    const runs: Array<{ valid: Validity; dir: string; caughtBy: string[] }> = [];
    for (let i = 0; i < args.times; i++) {
      const out = await runSchedule(schedule, { store: args.store, artifacts: true, source: args.schedule, override, onWarning: (m) => log(chalk.yellow(`warning: ${m}`)) });
      const caughtBy = out.results.checkers.filter((c) => c.valid === false).map((c) => c.checker);
      runs.push({ valid: out.results.valid, dir: out.dir, caughtBy });
      if (!args.json) console.log(`${mark(out.results.valid)}  replay ${i + 1}/${args.times}${caughtBy.length ? ` by ${caughtBy.join(', ')}` : ''}  ${out.dir}`);
    }
    const reproduced = expected === undefined ? undefined : runs.filter((r) => r.valid === expected).length;
    if (args.json) console.log(JSON.stringify({ schedule: args.schedule, expected, reproduced, runs }, null, 2));
    else if (reproduced !== undefined) console.log(`reproduced ${reproduced}/${args.times} (${expected === false ? 'INVALID' : String(expected)} as found)`);
    process.exitCode = exitCodeFor(worstValidity(runs.map((r) => r.valid)));
  },
});
