import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { ensureEnvironment } from '../../clusters/index.ts';

export const setupCommand = defineCommand({
  command: 'setup',
  describe: 'Install what faultline needs (root on Debian: apt-get) and start the Docker engine; idempotent',
  builder: (y) =>
    y
      .option('browser', { type: 'boolean', default: false, describe: 'also install Chromium (browser tests)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print only what changed' })
      .example('$0 setup', 'install docker.io, etcd-server, etcd-client, iptables, faketime if missing; start dockerd'),
  handler: async (args) => {
    const log = (line: string) => console.error(chalk.cyan(`setup: ${line}`));
    const outcome = await ensureEnvironment({ withBrowser: args.browser, log });
    const changed = outcome.installedPackages.length > 0 || outcome.startedDockerd;
    if (!changed && !args.quiet) console.error(chalk.green('setup: everything is in place, nothing to do'));
    else if (changed) console.error(chalk.green('setup: done'));
  },
});
