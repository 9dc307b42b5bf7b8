import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { buildFailpointEtcd, ensureEnvironment } from '../../clusters/index.ts';

export const setupCommand = defineCommand({
  command: 'setup',
  describe: 'Install what faultline needs (root on Debian: apt-get) and start the Docker engine; idempotent',
  builder: (y) =>
    y
      .option('browser', { type: 'boolean', default: false, describe: 'also install Chromium (browser tests)' })
      .option('etcd-failpoints', { type: 'boolean', default: false, describe: 'also build etcd with its gofail failpoints from Debian\'s source (for --nemesis failpoint; cached)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print only what changed' })
      .example('$0 setup', 'install docker.io, etcd-server, etcd-client, iptables, faketime if missing; start dockerd')
      .example('$0 setup --etcd-failpoints', 'also install Go, gofail and etcd\'s source, and build etcd with failpoints'),
  handler: async (args) => {
    const log = (line: string) => console.error(chalk.cyan(`setup: ${line}`));
    const outcome = await ensureEnvironment({ withBrowser: args.browser, withEtcdFailpoints: args.etcdFailpoints, log });
    const build = args.etcdFailpoints ? await buildFailpointEtcd(log) : undefined;
    if (build && !build.cached) log(`built etcd with failpoints in ${(build.ms / 1000).toFixed(1)} s: ${build.path} (${(build.bytes / 1024 ** 2).toFixed(0)} MB)`);
    else if (build && !args.quiet) log(`etcd with failpoints already built: ${build.path}`);
    const changed = outcome.installedPackages.length > 0 || outcome.startedDockerd || (build !== undefined && !build.cached);
    if (!changed && !args.quiet) console.error(chalk.green('setup: everything is in place, nothing to do'));
    else if (changed) console.error(chalk.green('setup: done'));
  },
});
