// faultline's command line: yargs with one module per command (harness/commands).
// Exit codes: 0 valid/ok, 1 invalid, 2 unknown or error (bad input included).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import chalk from 'chalk';
import { commands } from './commands/index.ts';
import { UserError } from '../history/errors.ts';

function report(err: unknown): never {
  if (err instanceof UserError) {
    console.error(chalk.red(`faultline: ${err.message}`));
    if (err.hint) console.error(err.hint);
  } else {
    const e = err as Error;
    console.error(chalk.red(`faultline: ${e?.message ?? String(err)}`));
    if (process.env.FAULTLINE_DEBUG) console.error(e?.stack);
    else console.error('(set FAULTLINE_DEBUG=1 for a stack trace)');
  }
  process.exit(2);
}

const parser = yargs(hideBin(process.argv))
  .scriptName('faultline')
  .usage(
    'faultline: Jepsen-style fault injection for Raft clusters.\n\n' +
      'Usage: $0 <command> [options]\n\n' +
      'Exit codes: 0 valid, 1 invalid, 2 unknown or error.',
  )
  .command(commands)
  .demandCommand(1, 'Name a command (see the list above).')
  .strict()
  .help()
  .alias('h', 'help')
  .version(false)
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .fail((msg, err, y) => {
    if (err) report(err);
    y.showHelp('error');
    console.error('\n' + chalk.red(`faultline: ${msg}`));
    process.exit(2);
  });

try {
  await parser.parseAsync();
} catch (err) {
  report(err);
}
