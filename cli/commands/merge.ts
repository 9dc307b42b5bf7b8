// faultline merge: the stores of a sharded test (`faultline test --shard i/n`)
// made into one store: summary.json over every run, one junit.xml, the run
// folders, browsable with `faultline serve --store DIR`. The rules (what is
// refused) live in reports/merge-stores.ts.
import chalk from 'chalk';
import { exitCodeFor, type Validity } from '../../checkers/index.ts';
import { formatShard } from '../../harness/index.ts';
import { mergeStores } from '../../reports/index.ts';
import { defineCommand } from './define.ts';

const word = (v: Validity): string => (v === true ? chalk.green('valid') : v === false ? chalk.red('INVALID') : chalk.yellow('unknown'));

export const mergeCommand = defineCommand({
  command: 'merge <stores..>',
  describe: 'Combine the stores of a sharded test (faultline test --shard i/n) into one store: summary.json, junit.xml, every run',
  builder: (y) =>
    y
      .positional('stores', { type: 'string', array: true, demandOption: true, describe: 'store folders, one per shard (each holds the summary.json faultline test wrote)' })
      .option('out', { type: 'string', default: 'merged', describe: 'folder for the merged store (absent or empty)' })
      .option('json', { type: 'boolean', default: false, describe: "print the merged summary.json's content" })
      .example('$0 merge shard-1 shard-2 shard-3 --out store', 'one store of all runs; then faultline serve --store store'),
  handler: async (args) => {
    const merged = await mergeStores(args.stores, args.out);
    const { summary } = merged;
    if (args.json) console.log(JSON.stringify(summary, null, 2));
    else {
      for (const { store, summary: s } of merged.inputs) {
        console.error(chalk.dim(`${store}: ${s.plan.shard ? `shard ${formatShard(s.plan.shard)}` : 'every run'}, ${s.runs.length} run(s), ${word(s.valid)}`));
      }
      const { runs, invalid, unknown } = summary.counts;
      console.log(`${word(summary.valid)}  ${runs} run(s) of ${summary.plan.testCount} (seeds ${summary.plan.firstSeed}..), ${invalid} invalid, ${unknown} unknown`);
      console.log(`  ${merged.dir}  (summary.json, ${merged.junit.path}; faultline serve --store ${args.out})`);
    }
    // Like faultline test over all the runs: 0 valid, 1 invalid, 2 unknown.
    process.exitCode = exitCodeFor(summary.valid);
  },
});
