import chalk from 'chalk';
import { terminalSafe } from '../terminal.ts';
import { exitCodeFor, type Validity } from '../../checkers/index.ts';
import { analyzeRun } from '../../harness/index.ts';
import { checkerNames } from '../../checkers/index.ts';
import { defineCommand } from './define.ts';
import { writeJUnit, writeRunArtifacts } from '../../reports/index.ts';

const mark = (v: Validity): string => (v === true ? chalk.green('valid') : v === false ? chalk.red('INVALID') : chalk.yellow('unknown'));

export const analyzeCommand = defineCommand({
  command: 'analyze <run-dir>',
  describe: "Re-run the checkers on a stored run's history (e.g. store/latest)",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'a run folder: store/<test>/<timestamp> or store/latest' })
      .option('checker', { type: 'string', array: true, describe: `checkers to run instead of test.json's (${checkerNames().join(', ')})` })
      .option('model', { type: 'string', describe: "model for --checker linearizability, e.g. 'cas-register'" })
      .option('write', { type: 'boolean', default: true, describe: 'overwrite results.json with the new verdict (--no-write to only print)' })
      .option('junit', { type: 'string', describe: 'also write JUnit XML for CI to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'print results as JSON' }),
  handler: async (args) => {
    const checkers = args.checker?.map((name) => (name === 'linearizability' && args.model ? { name, config: { model: args.model } } : { name }));
    const results = await analyzeRun(args.runDir, { write: args.write, ...(checkers ? { checkers } : {}) });
    // The report and summary.json follow results.json; with --no-write nothing on disk changes.
    const artifacts = args.write ? await writeRunArtifacts(args.runDir) : undefined;
    if (args.junit) await writeJUnit([args.runDir], args.junit);
    if (args.json) console.log(JSON.stringify({ ...results, ...artifacts }, null, 2));
    else {
      for (const c of results.checkers) console.log(`${mark(c.valid)}  ${c.checker}: ${terminalSafe(c.summary)}`);
      console.log(`verdict: ${mark(results.valid)}${artifacts ? `  (report: ${artifacts.report})` : ''}`);
    }
    process.exitCode = exitCodeFor(results.valid);
  },
});
