// npm run bench:nemeses [-- --nodes 5 --rounds 5 --hold 1] — on a live etcd
// cluster, median latency of each fault's start op and stop op (what the
// nemesis worker waits for), of healAll on a cluster with nothing to heal,
// and the time from a stop (after holding the fault --hold s) until etcd is
// healthy again.
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { startCluster } from '../clusters/start.ts';
import { makeRunId } from '../clusters/run-id.ts';
import { clusterInfo, type DockerClusterInfo } from '../clusters/docker-db-cluster.ts';
import { FaultNemesis, resolveNemeses } from '../nemeses/index.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, rounds: { type: 'string', default: '5' }, hold: { type: 'string', default: '1' } } });
const NODES = Number(values.nodes);
const ROUNDS = Number(values.rounds);
const HOLD_MS = Number(values.hold) * 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${Math.round(x)} ms`.padStart(8);

await ensureEnvironment();
const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
const runId = makeRunId();
const running = await startCluster({ db, nodeCount: NODES, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-bench-')), runId) });
try {
  const docker = running.cluster;
  const info: DockerClusterInfo = clusterInfo(docker, db);
  const names = ['partition-halves', 'partition-leader', 'partition-ring', 'loss-all', 'kill-one', 'kill-leader', 'pause-one', 'pause-leader'];
  const nem = new FaultNemesis(resolveNemeses(names));
  await nem.setup(info);
  const op = (f: string, value: unknown) => ({ index: 0, time: 0, process: 'nemesis' as const, type: 'invoke' as const, f, value });
  const timed = async (p: () => Promise<unknown>): Promise<number> => {
    const t = performance.now();
    await p();
    return performance.now() - t;
  };

  console.log(`median of ${ROUNDS}, ${NODES}-node etcd (heartbeat 50 ms, election 500 ms), faults held ${HOLD_MS / 1000} s, ${cpus().length} cores`);
  console.log(`${'fault'.padEnd(18)}   start     stop   healthy after stop`);
  for (const name of names) {
    const [c] = resolveNemeses([name]);
    const start: number[] = [];
    const stop: number[] = [];
    const healthy: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      start.push(await timed(async () => {
        const r = await nem.invoke(op(`start-${c.kind}`, { variant: c.variant, seed: i, probability: 0.3 }), info);
        if (r.type !== 'ok') throw new Error(`${name}: ${r.error}`);
      }));
      await new Promise((r) => setTimeout(r, HOLD_MS));
      stop.push(await timed(() => nem.invoke(op(`stop-${c.kind}`, null), info)));
      healthy.push(await timed(() => db.waitHealthy(docker, 30_000)));
    }
    console.log(`${name.padEnd(18)} ${ms(median(start))} ${ms(median(stop))} ${ms(median(healthy))}`);
  }
  const heal: number[] = [];
  for (let i = 0; i < ROUNDS; i++) heal.push(await timed(() => nem.healAll(info)));
  console.log(`${'healAll (no fault)'.padEnd(18)} ${ms(median(heal))}`);
} finally {
  await running.teardown();
}
