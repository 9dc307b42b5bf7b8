// faultline's own Raft KV server in containers, through the same test
// definition `faultline test --db raftkv` builds: correct under partitions,
// kills, pauses and clock faults for every workload; the stale-read bug caught
// by the linearizability checker; clock
// faults reach the server (it runs under libfaketime), seen in the wall
// clock its /admin/status reports; and so does the message delay fault.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { clusterInfo, DockerDbCluster, type DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { nodeStatus } from '../../clusters/raftkv/admin.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import { raftkvSystem, type RaftkvTestArgs } from '../../harness/systems/raftkv.ts';
import { runTest } from '../../harness/run/index.ts';
import type { FaultValue, Op } from '../../history/op.ts';
import { FaultNemesis, resolveNemeses, type FaultSpec } from '../../nemeses/index.ts';
import { someNodes } from '../../nemeses/targets.ts';
import { concat, once, Random, seconds, sleep } from '../../generator/index.ts';
import { leftovers } from '../support/docker.ts';

const NODES = ['n1', 'n2', 'n3'];
const runIds: string[] = [];
let running: RunningCluster | undefined;

beforeAll(async () => {
  await ensureEnvironment();
});
afterEach(async () => {
  const r = running;
  running = undefined;
  if (r) await r.teardown();
  for (const id of runIds.splice(0)) expect(await leftovers(id)).toEqual({ containers: 0, networks: 0 });
});
afterAll(async () => running && (await running.teardown()));

async function run(args: Partial<RaftkvTestArgs>, seed: number) {
  const test = raftkvSystem.test(
    { workload: 'register', nemesis: 'none', timeLimit: 8, opTimeout: 1500, nemesisInterval: '1.5s', concurrency: 6, rate: 150, ...args },
    NODES,
    seed,
  );
  runIds.push((test.db as DockerDbCluster).runId);
  return runTest(test, { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 1500, status: 'off', handleSignals: false });
}

const verdict = (out: Awaited<ReturnType<typeof run>>, checker: string) => out.results.checkers.find((c) => c.checker === checker);

describe('raftkv in containers', () => {
  it('a healthy cluster under partitions and kills is linearizable, and its nodes agree on the state hash', async () => {
    // 10 s: each fault now completes only once its effect is seen (a restart once the node answers), so rounds are longer.
    const out = await run({ nemesis: 'partition,kill', timeLimit: 10 }, 7);
    const faults = out.history.filter((o) => o.process === 'nemesis' && o.type === 'ok' && o.f.startsWith('start-'));
    expect(faults.length).toBeGreaterThanOrEqual(2);
    expect(out.history.filter((o) => o.process !== 'nemesis' && o.type === 'ok').length).toBeGreaterThan(100);
    expect(verdict(out, 'linearizability')).toMatchObject({ valid: true });
    expect(verdict(out, 'divergence')).toMatchObject({ valid: true });
    expect(out.results.valid).toBe(true);
    // Coverage from the nodes' raftkv.log, handed back by runTest too: every event is observable on raftkv.
    expect(out.coverage?.events['leader-elected']).toBeGreaterThanOrEqual(1);
    expect(out.coverage?.unsupported).toEqual([]);
  });

  // Local reads go stale two ways: a follower lags its leader by a round trip
  // (enough on its own, most runs), and a leader cut off from the majority
  // keeps answering with old values while the others move on.
  it('--bug stale-read: reads answered from a node\'s local state are found not linearizable', async () => {
    const out = await run({ nemesis: 'partition-leader', bug: ['stale-read'] }, 11);
    const cuts = out.history.filter((o) => o.process === 'nemesis' && o.type === 'ok' && o.f === 'start-partition');
    expect(cuts.length).toBeGreaterThanOrEqual(1);
    const lin = verdict(out, 'linearizability');
    expect(lin?.valid).toBe(false);
    // The op the search blames is the first one it cannot place, often the stale read but sometimes a
    // write the stale read made impossible to order: the verdict names a key, not necessarily a read.
    expect(lin?.summary).toMatch(/^not linearizable: key "\d+": /);
    expect(out.results.valid).toBe(false);
  });

  it('--bug no-fsync: killing every node loses acknowledged adds, and the set checker names them', async () => {
    const out = await run({ workload: 'set', nemesis: 'kill-all', bug: ['no-fsync'], nemesisInterval: '2s' }, 1);
    const set = verdict(out, 'set');
    expect(set?.valid).toBe(false);
    expect(set?.summary).toMatch(/lost \d+ element/);
  });

  // The lease-read bug trusts the wall clock; no-prevote drops check-quorum,
  // so a leader cut off from the majority keeps leading. A clock set back on
  // every node just before the leader is cut off stretches its lease over the
  // whole partition: it answers reads while the majority writes. The same
  // partition without the clock fault lets the lease run out in time.
  it.each([
    ['with every clock set back 30 s: the isolated leader serves stale reads (invalid)', true, false],
    ['without the clock fault: its lease runs out in time (valid)', false, true],
  ])('--bug lease-read --bug no-prevote, leader partitioned %s', async (_label, clockFault, valid) => {
    const nodes = ['n1', 'n2', 'n3'];
    let allNodes = 0; // a clock fault seed that picks every node
    while (someNodes(nodes, new Random(allNodes)).length < nodes.length) allNodes++;
    const test = raftkvSystem.test(
      { workload: 'register', nemesis: 'none', timeLimit: 10, opTimeout: 1500, concurrency: 9, rate: 200, bug: ['lease-read', 'no-prevote'] },
      nodes,
      5,
    );
    runIds.push((test.db as DockerDbCluster).runId);
    const clock = (f: string, value: FaultSpec | null) => (clockFault ? [once({ f, value })] : []);
    test.nemesis = {
      nemesis: new FaultNemesis(resolveNemeses(['clock-bump', 'partition-leader'])),
      generator: () =>
        concat(
          sleep(seconds(2)),
          ...clock('start-clock', { variant: 'bump', seed: allNodes, deltaMs: -30_000 }),
          once({ f: 'start-partition', value: { variant: 'leader', seed: 1 } }),
          sleep(seconds(5)),
          once({ f: 'stop-partition', value: null }),
          ...clock('stop-clock', null),
        ),
    };
    const out = await runTest(test, { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 1500, status: 'off', handleSignals: false });
    expect(verdict(out, 'linearizability')?.valid).toBe(valid);
  });

  it.each(['set', 'bank', 'counter', 'append', 'wr-register'])('%s under partitions, kills, pauses and clock faults is valid', async (workload) => {
    const out = await run({ workload, nemesis: 'partition,kill,pause,clock', timeLimit: 8, nemesisInterval: '1s' }, 21);
    expect(out.history.filter((o) => o.process === 'nemesis' && o.type === 'ok' && o.f.startsWith('start-')).length).toBeGreaterThanOrEqual(2);
    expect(out.history.filter((o) => o.process !== 'nemesis' && o.type === 'ok').length).toBeGreaterThan(50);
    expect(out.results.checkers.map((c) => [c.checker, c.valid, c.summary])).toEqual(out.results.checkers.map((c) => [c.checker, true, c.summary]));
  });

  /** A bare 3-node raftkv cluster and the nemesis's view of it. */
  async function bareCluster(): Promise<DockerClusterInfo> {
    const db = raftkvDb();
    const runId = makeRunId();
    runIds.push(runId);
    running = await startCluster({ db, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
    const docker = running.cluster;
    return clusterInfo(docker, db);
  }

  it('a clock bump moves the wall clock of the nodes hit (and only those); healing puts it back', async () => {
    const info = await bareCluster();
    const { db, cluster: docker, urls } = info;
    // The node's clock minus ours, ms (ours read halfway through the request).
    const offset = async (n: string) => {
      const t0 = Date.now();
      const s = await nodeStatus(urls[n], 3000);
      return s.time - (t0 + Date.now()) / 2;
    };
    const nemesis = new FaultNemesis(resolveNemeses(['clock-bump']));
    await nemesis.setup(info);
    const spec: FaultSpec = { variant: 'bump', seed: 3, deltaMs: 60_000 };
    const started = await nemesis.invoke({ index: 0, time: 0, process: 'nemesis', type: 'invoke', f: 'start-clock', value: spec } as Op, info);
    const hit = (started.value as FaultValue).nodes;
    expect(hit.length).toBeGreaterThan(0);
    // The fault read the clock back from /admin/status itself.
    expect((started.value as FaultValue).effect, (started.value as FaultValue).evidence?.summary).toBe('took-effect');
    for (const n of NODES) {
      const o = await offset(n);
      if (hit.includes(n)) expect(Math.abs(o - 60_000)).toBeLessThan(1000);
      else expect(Math.abs(o)).toBeLessThan(1000);
    }
    await nemesis.healAll(info);
    for (const n of NODES) expect(Math.abs(await offset(n))).toBeLessThan(1000);
    await db.waitHealthy(docker, 15_000);
  });

  it('message delay: the nodes hit hold back their peer messages (status says so), stop ends it, healAll clears every node', async () => {
    const info = await bareCluster();
    const delays = async () => Promise.all(NODES.map(async (n) => (await nodeStatus(info.urls[n], 3000)).delay));
    const nemesis = new FaultNemesis(resolveNemeses(['delay-minority']));
    await nemesis.setup(info);
    const op = (f: string, value: unknown) => ({ index: 0, time: 0, process: 'nemesis', type: 'invoke', f, value }) as Op;
    const spec: FaultSpec = { variant: 'minority', seed: 5, probability: 0.5, maxDelayMs: 300 };
    const started = await nemesis.invoke(op('start-delay', spec), info);
    expect(started.type).toBe('ok');
    const hit = (started.value as FaultValue).nodes;
    expect(hit).toHaveLength(1);
    // The status counts the batches held back: the fault's evidence.
    expect((started.value as FaultValue).effect, (started.value as FaultValue).evidence?.summary).toBe('took-effect');
    expect((started.value as FaultValue).evidence?.summary).toMatch(new RegExp(`^${hit[0]} held back \\d+ batches within \\d+ ms$`));
    expect(await delays()).toEqual(NODES.map((n) => (hit.includes(n) ? { probability: 0.5, maxMs: 300 } : null)));
    // Raft still makes progress through the delays.
    await info.db.waitHealthy(info.cluster, 15_000);
    const stopped = await nemesis.invoke(op('stop-delay', null), info);
    expect(stopped.type).toBe('ok');
    expect(stopped.value).toMatchObject({ effect: 'took-effect', faultEffect: 'took-effect' });
    expect(await delays()).toEqual([null, null, null]);
    // healAll clears a delay it was never told about (e.g. a lost completion).
    await nemesis.invoke(op('start-delay', { ...spec, variant: 'all' }), info);
    expect((await delays()).every((d) => d !== null)).toBe(true);
    await nemesis.healAll(info);
    expect(await delays()).toEqual([null, null, null]);
  });
});
