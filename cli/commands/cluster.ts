// `faultline cluster up|status|down`: a cluster to poke by hand. It stays up
// after `up` returns (labelled faultline.mode=manual) until `down`.
import chalk from 'chalk';
import { join } from 'node:path';
import { defineCommand } from './define.ts';
import { UserError } from '../../history/index.ts';
import { DOCKER_SYSTEM_NAMES, systemByName } from '../../harness/systems/index.ts';
import type { DB } from '../../clusters/index.ts';
import { makeRunId } from '../../clusters/index.ts';
import { startCluster } from '../../clusters/index.ts';
import { listRuns, type RunObjects } from '../../clusters/index.ts';
import { DockerCluster, removeRun } from '../../clusters/index.ts';
import { ensureEnvironment } from '../../clusters/index.ts';

const log = (line: string) => console.error(chalk.cyan(line));

async function manualRuns(runId?: string): Promise<RunObjects[]> {
  const runs = (await listRuns()).filter((r) => r.mode === 'manual' && (!runId || r.runId === runId));
  if (runs.length === 0) {
    throw new UserError(runId ? `no cluster with run id ${runId}` : 'no cluster is up (start one with `faultline cluster up`)');
  }
  return runs;
}

const up = defineCommand({
  command: 'up',
  describe: 'Start a DB cluster in containers and leave it running',
  builder: (y) =>
    y
      .option('db', { choices: DOCKER_SYSTEM_NAMES, default: 'etcd', describe: 'database' })
      .option('nodes', { type: 'number', default: 3, describe: 'number of nodes (1-9)' })
      .option('etcd-binary', { type: 'string', describe: 'etcd binary to copy into the image (default /usr/bin/etcd)' })
      .option('image', { type: 'string', describe: 'use this existing image instead of building one (never pulled)' })
      .option('store', { type: 'string', default: 'store', describe: 'folder for node logs' })
      .option('json', { type: 'boolean', default: false, describe: 'print the cluster as JSON' }),
  handler: async (args) => {
    await ensureEnvironment({ log });
    const db = dockerDb(args.db, { etcdBinary: args.etcdBinary });
    const runId = makeRunId();
    const runDir = join(args.store, 'clusters', runId);
    const running = await startCluster({
      db,
      nodeCount: args.nodes,
      runId,
      runDir,
      image: args.image,
      labels: { 'faultline.mode': 'manual' },
      keepOnExit: true,
      log,
    });
    await printStatus(running.cluster, args.db, args.json);
    if (!args.json) console.error(chalk.dim(`node logs: ${runDir}/nodes/<node>/; stop with: faultline cluster down --run ${runId}`));
  },
});

/** The DB a system runs on Docker nodes (the system table's `db`). */
function dockerDb(name: string, args: Record<string, unknown> = {}): DB {
  const system = systemByName(name);
  if (!system.db) throw new UserError(`--db ${name} runs without Docker: there is no cluster to start`);
  return system.db(args);
}

async function printStatus(cluster: DockerCluster, dbName: string, json: boolean): Promise<void> {
  const db = dockerDb(dbName);
  const members = await db.status(cluster);
  if (json) {
    console.log(JSON.stringify({ runId: cluster.runId, db: dbName, network: cluster.networkName, subnet: cluster.subnet, members }, null, 2));
    return;
  }
  console.log(`run ${cluster.runId}  db ${dbName}  network ${cluster.networkName} (${cluster.subnet})`);
  for (const m of members) {
    const role = !m.up ? chalk.red('down') : m.leader ? chalk.green('leader') : 'follower';
    const detail = m.up ? `term ${m.term}  index ${m.index}  version ${m.version}` : m.error ?? '';
    console.log(`  ${m.node.padEnd(3)} ${m.ip.padEnd(15)} ${db.clientUrl(cluster, m.node).padEnd(24)} ${role.padEnd(8)} ${detail}`);
  }
}

const status = defineCommand({
  command: 'status',
  describe: 'Members, leader, term and addresses of clusters started with `cluster up`',
  builder: (y) =>
    y
      .option('run', { type: 'string', describe: 'run id (default: every cluster that is up)' })
      .option('json', { type: 'boolean', default: false, describe: 'print as JSON' }),
  handler: async (args) => {
    for (const r of await manualRuns(args.run)) {
      await printStatus(await DockerCluster.attach(r.runId), r.db ?? 'etcd', args.json);
    }
  },
});

const down = defineCommand({
  command: 'down',
  describe: 'Remove clusters started with `cluster up` (containers and network; node logs stay in the store)',
  builder: (y) => y.option('run', { type: 'string', describe: 'run id (default: every cluster that is up)' }),
  handler: async (args) => {
    for (const r of await manualRuns(args.run)) {
      const removed = await removeRun(r.runId);
      console.log(`removed run ${r.runId}: ${removed.containers.length} containers, ${removed.networks.length} networks`);
    }
  },
});

export const clusterCommand = defineCommand({
  command: 'cluster <command>',
  describe: 'Start, inspect and remove a cluster by hand (up | status | down)',
  builder: (y) => y.command([up, status, down]).demandCommand(1),
  handler: () => {},
});
