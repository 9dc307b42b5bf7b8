import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { UserError } from '../../history/index.ts';
import { startStoreServer } from '../../reports/index.ts';

export const serveCommand = defineCommand({
  command: 'serve',
  describe: 'Browse the store: every run with its verdicts, reports and raw files (read-only web page)',
  builder: (y) =>
    y
      .option('store', { type: 'string', default: 'store', describe: 'store folder (store/<test>/<timestamp>/)' })
      .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind; the default keeps it on this machine' })
      .option('allow-host', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'a Host name to answer besides localhost and --host (repeatable; * for any): others are refused, so a web page cannot read the store through DNS rebinding',
      })
      .example('$0 serve', 'serve ./store on http://127.0.0.1:8080/')
      .example('$0 serve --store /data/store --port 9000', 'another store and port'),
  handler: async (args) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UserError(`--port must be 0-65535, got ${args.port}`);
    if (!['127.0.0.1', 'localhost', '::1'].includes(args.host)) {
      console.error(chalk.yellow(`faultline serve: --host ${args.host} makes the store (histories, node logs) readable from other machines; it has no authentication`));
    }
    const running = await startStoreServer({ store: args.store, port: args.port, host: args.host, allowedHosts: args.allowHost }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') throw new UserError(`port ${args.port} is in use`, 'pick another with --port, or --port 0 for any free one');
      throw err;
    });
    const runs = await running.index.runs();
    console.error(chalk.green(`faultline serve: ${runs.length} runs in ${args.store} at ${running.url}`) + chalk.dim('  (Ctrl-C to stop)'));
    await new Promise<void>((resolve) => {
      const stop = () => void running.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
});
