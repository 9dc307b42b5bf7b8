import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { listRuns } from '../../clusters/index.ts';
import { removeRun } from '../../clusters/index.ts';

export const cleanCommand = defineCommand({
  command: 'clean',
  describe: 'Remove containers and networks left by runs whose controller died (found by the faultline.run label)',
  builder: (y) =>
    y
      .option('all', { type: 'boolean', default: false, describe: 'also remove live runs and clusters made by `cluster up`' })
      .option('json', { type: 'boolean', default: false, describe: 'print what was removed as JSON' }),
  handler: async (args) => {
    const runs = await listRuns();
    const doomed = runs.filter((r) => args.all || (!r.ownerAlive && r.mode !== 'manual'));
    const removed = [];
    for (const r of doomed) removed.push({ runId: r.runId, ...(await removeRun(r.runId)) });
    const kept = runs.filter((r) => !doomed.includes(r));
    if (args.json) {
      console.log(JSON.stringify({ removed, kept: kept.map((r) => r.runId) }, null, 2));
      return;
    }
    if (removed.length === 0) console.log('nothing to remove');
    for (const r of removed) {
      console.log(`removed run ${r.runId}: ${r.containers.length} containers (${r.containers.join(' ')}), ${r.networks.length} networks`);
    }
    for (const r of kept) {
      const why = r.mode === 'manual' ? 'a `cluster up` cluster (faultline cluster down, or clean --all)' : `its controller ${r.owner} is alive`;
      console.log(chalk.dim(`kept run ${r.runId}: ${why}`));
    }
  },
});
