// `faultline hosts up|down|check`: machines for the SSH backend. `up` starts
// containers that act like bare machines (sshd, iptables, own network
// namespace) and writes their hosts.json; `down` removes them; `check` logs in
// to every host of a hosts file and says whether faultline can use it.
import chalk from 'chalk';
import { join } from 'node:path';
import { defineCommand } from './define.ts';
import { ensureEnvironment, hosts } from '../../clusters/index.ts';

const log = (line: string) => console.error(chalk.cyan(line));

const up = defineCommand({
  command: 'up',
  describe: 'Start N containers that act like bare machines (sshd, iptables) and write their hosts.json',
  builder: (y) =>
    y
      .option('count', { type: 'number', default: 3, describe: 'number of hosts (1-9)' })
      .option('file', { type: 'string', default: 'hosts.json', describe: 'hosts file to write' })
      .option('store', { type: 'string', default: 'store', describe: 'folder for the containers\' node folders' }),
  handler: async (args) => {
    await ensureEnvironment({ log });
    const file = await hosts.fakeHostsUp({ count: args.count, runDir: join(args.store, 'hosts'), log });
    hosts.writeHostsFile(args.file, file);
    for (const h of file.hosts) console.log(`${h.name}  ${h.user}@${h.address}:${h.port}  key ${h.key}`);
    console.error(chalk.dim(`wrote ${args.file}; remove the hosts with: faultline hosts down --file ${args.file}`));
  },
});

const down = defineCommand({
  command: 'down',
  describe: 'Remove the containers `hosts up` started (named by the hosts file)',
  builder: (y) => y.option('file', { type: 'string', default: 'hosts.json', describe: 'hosts file `hosts up` wrote' }),
  handler: async (args) => {
    const removed = await hosts.fakeHostsDown(hosts.readHostsFile(args.file), args.file);
    console.log(`removed ${removed.containers.length} hosts (${removed.containers.join(' ')}), ${removed.networks.length} networks`);
  },
});

const check = defineCommand({
  command: 'check',
  describe: 'Log in to every host of a hosts file: reachable, tools present (iptables ...), leftovers of earlier runs',
  builder: (y) =>
    y
      .option('file', { type: 'string', default: 'hosts.json', describe: 'hosts file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' }),
  handler: async (args) => {
    const file = hosts.readHostsFile(args.file);
    const rows = await Promise.all(
      file.hosts.map(async (h) => {
        const ssh = new hosts.SshHost(h, { connectTimeoutMs: 10_000 });
        try {
          return { host: h.name, missing: await hosts.missingTools(ssh), leftovers: await hosts.surveyHost(ssh) };
        } catch (err) {
          return { host: h.name, error: (err as Error).message };
        } finally {
          ssh.close();
        }
      }),
    );
    if (args.json) console.log(JSON.stringify(rows, null, 2));
    else
      for (const r of rows) {
        if ('error' in r) console.log(`${chalk.red('✗')} ${r.host}: ${r.error}`);
        else if (r.missing.length) console.log(`${chalk.red('✗')} ${r.host}: lacks ${r.missing.join(', ')} (not supported)`);
        else {
          const l = r.leftovers;
          const left = l.rules.length || l.processes.length || l.files ? `; leftovers: ${l.rules.length} rules, ${l.processes.length} processes, files ${l.files ? 'yes' : 'no'} (faultline clean --hosts ${args.file})` : '';
          console.log(`${chalk.green('✓')} ${r.host}: usable${left}`);
        }
      }
    if (rows.some((r) => 'error' in r || r.missing.length)) process.exitCode = 2;
  },
});

export const hostsCommand = defineCommand({
  command: 'hosts <command>',
  describe: 'Machines for the SSH backend: containers that act like bare machines (up | down), or check a hosts file',
  builder: (y) =>
    y
      .command(up)
      .command(down)
      .command(check)
      .demandCommand(1, 'name a subcommand: up, down or check')
      .example('$0 hosts up --count 3 --file hosts.json', 'three fake machines reachable over SSH')
      .example('$0 hosts check --file hosts.json', 'can faultline use these machines?'),
  handler: () => {},
});
