import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { runDoctor } from '../../clusters/index.ts';

export const doctorCommand = defineCommand({
  command: 'doctor',
  describe: 'Check what this machine can do: engine, etcd, iptables and netem in a container, libfaketime, disk',
  builder: (y) =>
    y
      .option('etcd-binary', { type: 'string', describe: 'etcd binary to check (default /usr/bin/etcd)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' }),
  handler: async (args) => {
    const rows = await runDoctor({ etcdBinary: args.etcdBinary });
    const failed = rows.filter((r) => r.required && r.ok !== true);
    if (args.json) {
      console.log(JSON.stringify({ ok: failed.length === 0, rows }, null, 2));
    } else {
      const width = Math.max(...rows.map((r) => r.check.length));
      for (const r of rows) {
        const mark = r.ok === true ? chalk.green('ok  ') : r.required ? chalk.red('FAIL') : chalk.yellow('no  ');
        console.log(`${mark} ${r.check.padEnd(width)}  ${r.detail}`);
      }
      if (failed.length > 0) console.error(chalk.red(`\n${failed.length} required check(s) failed; run \`faultline setup\``));
    }
    if (failed.length > 0) process.exitCode = 2;
  },
});
