// npm run bench:faults [-- --rounds 5 --hold 0.5] — what evidence gathering
// costs per fault kind, on a live 3-node etcd cluster: the median latency of
// each fault's start and stop op as the nemesis runs them (action + evidence),
// against the bare action the nemesis did before it gathered evidence (the
// same iptables scripts and signals, nothing read back), and the difference.
// Also the cost of one reachability probe of every pair (all open), one
// docker exec, and the final heal (healAll) with its checks.
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { startCluster } from '../clusters/start.ts';
import { makeRunId } from '../clusters/run-id.ts';
import { clusterInfo, type DockerClusterInfo } from '../clusters/docker-db-cluster.ts';
import { probeReachability, portOfUrl } from '../clusters/docker/reachability.ts';
import type { FaultValue } from '../history/op.ts';
import { Random } from '../generator/random.ts';
import { FaultNemesis, resolveNemeses, type FaultSpec } from '../nemeses/index.ts';
import { applyGrudge, healChains } from '../nemeses/network.ts';
import { lossGrudge, partitionGrudge, type LossShape, type PartitionShape } from '../nemeses/grudge.ts';
import { sh } from '../nemeses/fault.ts';
import { killScript } from '../nemeses/process.ts';
import { pickTargets, type Target } from '../nemeses/targets.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, hold: { type: 'string', default: '0.5' } } });
const ROUNDS = Number(values.rounds);
const HOLD_MS = Number(values.hold) * 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${Math.round(x)}`.padStart(6);
const pause = (t: number) => new Promise((r) => setTimeout(r, t));
const timed = async (p: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await p();
  return performance.now() - t;
};

await ensureEnvironment();
const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
const runId = makeRunId();
const running = await startCluster({ db, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-bench-')), runId) });
try {
  const docker = running.cluster;
  const info: DockerClusterInfo = clusterInfo(docker, db);
  const { nodes } = info;
  const names = ['partition-halves', 'partition-ring', 'partition-one-way', 'loss-all', 'kill-one', 'pause-one'];
  const nem = new FaultNemesis(resolveNemeses(names));
  await nem.setup(info);
  const op = (f: string, value: unknown) => ({ index: 0, time: 0, process: 'nemesis' as const, type: 'invoke' as const, f, value });

  /** The action alone, as the nemesis did it before evidence: returns [start ms, stop ms]. */
  const bare = async (kind: string, variant: string, seed: number): Promise<[number, number]> => {
    const random = new Random(seed);
    if (kind === 'partition' || kind === 'loss') {
      const chain = kind === 'partition' ? 'faultline-partition' : 'faultline-loss';
      const g = kind === 'partition' ? partitionGrudge(variant as PartitionShape, nodes, random) : lossGrudge(variant as LossShape, nodes, random);
      const start = await timed(() => applyGrudge(info, chain, g, kind === 'loss' ? 0.3 : undefined));
      await pause(HOLD_MS);
      return [start, await timed(() => healChains(info, [chain]))];
    }
    const [node] = pickTargets(variant as Target, nodes, random);
    if (kind === 'kill') {
      const start = await timed(() => sh(info, node, killScript('etcd')));
      await pause(HOLD_MS);
      const stop = await timed(() => db.start(docker, node, { fresh: false }));
      await db.waitHealthy(docker, 30_000); // not part of the old stop op: the next round needs a whole cluster
      return [start, stop];
    }
    const start = await timed(() => docker.signal(node, 'etcd', 'STOP'));
    await pause(HOLD_MS);
    return [start, await timed(() => docker.signal(node, 'etcd', 'CONT'))];
  };

  console.log(`median of ${ROUNDS}, 3-node etcd (heartbeat 50 ms, election 500 ms), faults held ${HOLD_MS / 1000} s, ${cpus().length} cores; ms`);
  console.log(`${'fault'.padEnd(18)} ${'start'.padStart(6)} ${'bare'.padStart(6)} ${'cost'.padStart(6)}   ${'stop'.padStart(6)} ${'bare'.padStart(6)} ${'cost'.padStart(6)}   effect (start / stop)`);
  for (const name of names) {
    const [c] = resolveNemeses([name]);
    const s: number[] = [];
    const t: number[] = [];
    const bs: number[] = [];
    const bt: number[] = [];
    const effects = new Set<string>();
    for (let i = 0; i < ROUNDS; i++) {
      const spec: FaultSpec = { variant: c.variant, seed: i, ...(c.kind === 'loss' ? { probability: 0.3 } : {}) };
      let started: FaultValue | undefined;
      s.push(await timed(async () => (started = (await nem.invoke(op(`start-${c.kind}`, spec), info)).value as FaultValue)));
      await pause(HOLD_MS);
      let stopped: FaultValue | undefined;
      t.push(await timed(async () => (stopped = (await nem.invoke(op(`stop-${c.kind}`, null), info)).value as FaultValue)));
      effects.add(`${started?.effect} / ${stopped?.effect}`);
      await db.waitHealthy(docker, 30_000);
      const [b0, b1] = await bare(c.kind, c.variant, i);
      bs.push(b0);
      bt.push(b1);
      await db.waitHealthy(docker, 30_000);
    }
    const [ms0, ms1, mb0, mb1] = [median(s), median(t), median(bs), median(bt)];
    console.log(`${name.padEnd(18)} ${ms(ms0)} ${ms(mb0)} ${ms(ms0 - mb0)}   ${ms(ms1)} ${ms(mb1)} ${ms(ms1 - mb1)}   ${[...effects].join(', ')}`);
  }
  const probe: number[] = [];
  const exec: number[] = [];
  const heal: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    probe.push(await timed(() => probeReachability(docker, (n) => portOfUrl(info.urls[n]))));
    exec.push(await timed(() => docker.exec('n1', ['/bin/sh', '-c', 'true'])));
    heal.push(await timed(() => nem.healAll(info)));
  }
  console.log(`${'probe, all open'.padEnd(18)} ${ms(median(probe))}   (every ordered pair, one exec per node)`);
  console.log(`${'one docker exec'.padEnd(18)} ${ms(median(exec))}`);
  console.log(`${'healAll + checks'.padEnd(18)} ${ms(median(heal))}   (nothing to heal; probe, process states)`);
} finally {
  await running.teardown();
}
