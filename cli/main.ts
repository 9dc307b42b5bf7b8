// faultline's command line: yargs with one module per command (cli/commands/),
// each imported only when its command runs (cli/commands/index.ts), so --help
// and --version load no command. bin/faultline.mjs runs the esbuild bundle of
// this file (build/cli.mjs).
// Exit codes: 0 valid/ok, 1 invalid, 2 unknown or error (bad input included).
import { readFileSync } from 'node:fs';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { commands } from './commands/index.ts';
import { UserError } from '../history/index.ts';
import { terminalSafe } from './terminal.ts';

/** faultline's version: package.json's. */
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function report(err: unknown): never {
  if (err instanceof UserError) {
    console.error(chalk.red(`faultline: ${safeLines(err.message)}`));
    if (err.hint) console.error(safeLines(err.hint));
  } else {
    const e = err as Error;
    console.error(chalk.red(`faultline: ${safeLines(e?.message ?? String(err))}`));
    if (process.env.FAULTLINE_DEBUG) console.error(e?.stack);
    else console.error('(set FAULTLINE_DEBUG=1 for a stack trace)');
  }
  process.exit(2);
}

/** Messages may quote input: each line made safe for the terminal. */
function safeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

async function run(argv: string[]): Promise<void> {
  const { default: yargs } = await import('yargs');
  const parser: Argv = yargs(argv)
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
    .version(version)
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
}

// `faultline check ... | head -1`: the reader has gone; stop quietly with the verdict so far.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// npx and `npm run` do not pass SIGTERM on (a CI timeout kills npx and the
// run would go on alone): when the process that started us goes away, stop
// as if we got SIGTERM, so faults are healed and the cluster torn down.
const parent = process.ppid;
if (parent > 1) {
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  watch.unref();
}

const argv = process.argv.slice(2);
// `faultline --version` alone needs no parser: it is answered (as yargs would)
// before yargs loads. Any other command line goes to yargs, --version included.
if (argv.length === 1 && argv[0] === '--version') console.log(version);
else await run(argv);
