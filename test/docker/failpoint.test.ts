// etcd's failpoint build in real containers: its gofail endpoint answers
// from the host over the run's internal network, the failpoint nemesis arms
// a sleep and sees it fire, and a whole `faultline test --nemesis
// failpoint-panic` run crashes members at raftAfterSave / beforeCommit, records
// that they fired and were restarted, and stays valid (etcd 3.4.23 is
// correct here). Nothing is left behind.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { buildFailpointEtcd } from '../../clusters/etcd/failpoint-build.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { GOFAIL_PORT } from '../../clusters/etcd/failpoints.ts';
import { listFailpoints } from '../../clusters/etcd/gofail.ts';
import { etcdPost } from '../../clusters/etcd/api.ts';
import { failpointsOf } from '../../nemeses/failpoint-driver.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import { clusterInfo, type DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { DB } from '../../clusters/db.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import type { FaultValue, Op } from '../../history/op.ts';
import { FaultNemesis, resolveNemeses, type FaultSpec } from '../../nemeses/index.ts';
import { faultline } from '../support/cli.ts';
import { leftovers } from '../support/docker.ts';

let binary = '';
let running: RunningCluster | undefined;

beforeAll(async () => {
  await ensureEnvironment({ withEtcdFailpoints: true });
  binary = (await buildFailpointEtcd()).path;
});

afterEach(async () => {
  if (!running) return;
  const r = running;
  running = undefined;
  await r.teardown();
  expect(await leftovers(r.cluster.runId)).toEqual({ containers: 0, networks: 0 });
});

async function freshCluster(db: DB): Promise<DockerClusterInfo> {
  const runId = makeRunId();
  running = await startCluster({ db, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
  const docker = running.cluster;
  return clusterInfo(docker, db);
}

let opIndex = 0;
const invoke = (nem: FaultNemesis, info: DockerClusterInfo, f: string, value: FaultSpec | null = null) =>
  nem.invoke({ index: opIndex++, time: 0, process: 'nemesis', type: 'invoke', f, value }, info);

describe('etcd with failpoints', () => {
  it('every member answers gofail from the host; a sleep armed on a follower fires and is disarmed', async () => {
    const info = await freshCluster(etcdDb({ binary, gofail: true, heartbeatMs: 50, electionMs: 500 }));
    expect(await info.db.version()).toBe('3.4.23 (failpoints)');
    for (const n of info.nodes) {
      const listed = await listFailpoints(`http://${info.cluster.node(n).ip}:${GOFAIL_PORT}`);
      expect(listed.size, n).toBe(16);
    }
    const nem = new FaultNemesis(resolveNemeses(['failpoint-sleep']));
    await nem.setup(info);
    const start = await invoke(nem, info, 'start-failpoint', { variant: 'sleep', seed: 1, failpoint: 'raftBeforeFollowerSend', sleepMs: 100 });
    const armed = start.value as FaultValue;
    expect(armed, JSON.stringify(start)).toMatchObject({ fault: 'failpoint', failpoint: 'raftBeforeFollowerSend', role: 'follower', fired: true, effect: 'took-effect' });
    const node = armed.nodes[0];
    const endpoint = `http://${info.cluster.node(node).ip}:${GOFAIL_PORT}`;
    expect((await listFailpoints(endpoint)).get('go.etcd.io/etcd/etcdserver/raftBeforeFollowerSend')).toBe('1*sleep(100)->1*print->sleep(100)');
    const stop = await invoke(nem, info, 'stop-failpoint');
    expect(stop.value, JSON.stringify(stop)).toMatchObject({ fault: 'failpoint', nodes: [node], fired: true, faultEffect: 'took-effect', effect: 'took-effect' });
    expect((await listFailpoints(endpoint)).get('go.etcd.io/etcd/etcdserver/raftBeforeFollowerSend')).toBe('');

    // A sleep holds the very first pass: a defragment passes defragBeforeCopy once, and waits out the sleep.
    // (Armed as print-then-sleep, the first pass went through at once: figure 8's held leader sent its entry.)
    const points = failpointsOf(info.db)!;
    await points.set(info.cluster, node, 'defragBeforeCopy', { mode: 'sleep', ms: 1500 });
    const t0 = performance.now();
    await etcdPost(info.urls[node], 'maintenance/defragment', {}, 10_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1500);
    await points.set(info.cluster, node, 'defragBeforeCopy', null);
  });

  it('faultline test --nemesis failpoint-panic: members crash where armed, are restarted, and the run is valid', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const r = await faultline(['test', '--db', 'etcd', '--nodes', '3', '--workload', 'register', '--nemesis', 'failpoint-panic', '--failpoints', 'raftAfterSave,beforeCommit',
      '--time-limit', '16', '--nemesis-interval', '3s', '--rate', '100', '--seed', '11', '--store', store], { timeoutMs: 170_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const [test] = readdirSync(store).filter((d) => d !== 'latest');
    const [run] = readdirSync(join(store, test));
    const dir = join(store, test, run);
    const testJson = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8'));
    expect(testJson.options).toMatchObject({ etcdBinary: binary, etcdFailpoints: true, failpoints: 'raftAfterSave,beforeCommit' });
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).valid).toBe(true);

    const ops = readHistoryFile(join(dir, 'history.jsonl')).filter((op) => op.process === 'nemesis' && op.type !== 'invoke');
    const starts = ops.filter((op) => op.f === 'start-failpoint');
    expect(starts.length).toBeGreaterThanOrEqual(2);
    const fired = starts.filter((op) => (op.value as FaultValue).fired === true);
    // Every armed panic fired: raftAfterSave and beforeCommit run many times a second on every member.
    expect(fired.map((op) => (op.value as FaultValue).description)).toEqual(starts.map((op) => (op.value as FaultValue).description));
    for (const start of fired) {
      const v = start.value as FaultValue;
      expect(v, JSON.stringify(v)).toMatchObject({ action: 'panic', exited: true, effect: 'took-effect' });
      const node = v.nodes[0];
      const log = readFileSync(join(dir, 'nodes', node, 'etcd.log'), 'utf8');
      expect(log).toContain(`failpoint panic: faultline ${v.failpoint}`);
      // The stop after it restarted the member: a new pid that answered.
      const stop = nextStop(ops, start);
      if (stop.f === 'stop-all') continue; // the time limit cut this one short: the final heal restarted it
      const seen = (stop.value as FaultValue).evidence?.nodes as Record<string, { oldPid: number; newPid: number; readyMs: number | null; disarm: string }>;
      expect(seen[node], JSON.stringify(stop)).toMatchObject({ disarm: 'process gone' });
      expect(seen[node].newPid).not.toBe(seen[node].oldPid);
      expect(seen[node].readyMs).not.toBeNull();
    }
    expect(ops.at(-1)?.f).toBe('stop-all');
  });

  it('faultline test --nemesis figure8 on etcd: the majority\'s new leader is held at raftBeforeLeaderSend, cut off, left to save and killed; the steps run and etcd stays valid', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const r = await faultline(['test', '--db', 'etcd', '--nodes', '5', '--workload', 'register', '--nemesis', 'figure8', '--nemesis-interval', '8s', '--time-limit', '60', '--seed', '1', '--store', store], { timeoutMs: 170_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const [test] = readdirSync(store).filter((d) => d !== 'latest');
    const [run] = readdirSync(join(store, test));
    const dir = join(store, test, run);
    expect(JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8')).options).toMatchObject({ etcdBinary: binary, etcdFailpoints: true });
    // Two rounds fit the run, and one that reached step 3 suffices: under load a round can stop at step 3 (another
    // member of the majority led before the poll saw E, and it wins the return; figure8.ts stops that round at once).
    const starts = readHistoryFile(join(dir, 'history.jsonl')).filter((op) => op.process === 'nemesis' && op.f === 'start-figure8' && op.type !== 'invoke').map((op) => op.value as FaultValue);
    expect(starts.some((v) => v.effect === 'took-effect'), JSON.stringify(starts)).toBe(true);
    const start = starts.find((v) => Number(v.reached) >= 3);
    expect(start, JSON.stringify(starts)).toBeDefined();
    // Step 2 on etcd (its leader sends before it saves): held, cut off, left to save, killed; then the old side returns (step 3).
    expect(String(start!.description)).toMatch(/won the majority's election; its first send held, it was cut off, saved its entry and was killed; partition healed/);
    expect(Number(start!.reached)).toBeGreaterThanOrEqual(3);
  });
});

function nextStop(ops: Op[], start: Op): Op {
  const stop = ops.find((op) => op.index > start.index && (op.f === 'stop-failpoint' || op.f === 'stop-all'));
  if (!stop) throw new Error(`no stop after ${start.index}`);
  return stop;
}
