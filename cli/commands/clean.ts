import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { listRuns } from '../../clusters/index.ts';
import { removeRun } from '../../clusters/index.ts';
import { hosts } from '../../clusters/index.ts';
import { unmountLeftoverDisks } from '../../disk/index.ts';

export const cleanCommand = defineCommand({
  command: 'clean',
  describe: 'Remove containers, networks and lose-unsynced filesystem mounts left by runs whose controller died (found by the faultline.run label and the mount names)',
  builder: (y) =>
    y
      .option('all', { type: 'boolean', default: false, describe: 'also remove live runs and clusters made by `cluster up`' })
      .option('hosts', { type: 'string', describe: 'instead: remove what faultline left on the machines of this hosts file (its iptables rules and chains, processes, files under /var/tmp/faultline)' })
      .option('json', { type: 'boolean', default: false, describe: 'print what was removed as JSON' }),
  handler: async (args) => {
    if (args.hosts) return cleanHosts(args.hosts, args.json);
    const runs = await listRuns();
    const doomed = runs.filter((r) => args.all || (!r.ownerAlive && r.mode !== 'manual'));
    const removed = [];
    for (const r of doomed) removed.push({ runId: r.runId, ...(await removeRun(r.runId)) });
    const kept = runs.filter((r) => !doomed.includes(r));
    // The lose-unsynced filesystems (--nemesis lose-unsynced) of every run not kept, containers or not.
    const unmounted = await unmountLeftoverDisks(new Set(kept.map((r) => r.runId)));
    if (args.json) {
      console.log(JSON.stringify({ removed, kept: kept.map((r) => r.runId), unmounted }, null, 2));
      return;
    }
    if (removed.length === 0 && unmounted.length === 0) console.log('nothing to remove');
    for (const m of unmounted) console.log(`unmounted the lose-unsynced filesystem of run ${m.runId} at ${m.mountpoint}`);
    for (const r of removed) {
      console.log(`removed run ${r.runId}: ${r.containers.length} containers (${r.containers.join(' ')}), ${r.networks.length} networks`);
    }
    for (const r of kept) {
      const why = r.mode === 'manual' ? 'a `cluster up` cluster (faultline cluster down, or clean --all)' : `its controller ${r.owner} is alive`;
      console.log(chalk.dim(`kept run ${r.runId}: ${why}`));
    }
  },
});

/** After a crashed controller: each host back as found, touching only what faultline made. */
async function cleanHosts(path: string, json: boolean): Promise<void> {
  const file = hosts.readHostsFile(path);
  const rows = await Promise.all(
    file.hosts.map(async (h) => {
      const ssh = new hosts.SshHost(h, { connectTimeoutMs: 10_000 });
      try {
        return { host: h.name, removed: await hosts.removeLeftovers(ssh), left: await hosts.surveyHost(ssh) };
      } catch (err) {
        return { host: h.name, error: (err as Error).message };
      } finally {
        ssh.close();
      }
    }),
  );
  if (json) console.log(JSON.stringify(rows, null, 2));
  else
    for (const r of rows) {
      if ('error' in r) console.log(chalk.red(`${r.host}: ${r.error}`));
      else console.log(`${r.host}: removed ${r.removed.rules.length} iptables lines, ${r.removed.processes.length} processes${r.removed.mounts.length ? `, ${r.removed.mounts.length} mounts` : ''}${r.removed.files ? ', the faultline folder' : ''}`);
    }
  const dirty = rows.some((r) => 'error' in r || r.left.rules.length || r.left.processes.length || r.left.mounts.length || r.left.files);
  if (dirty) process.exitCode = 2;
}
