// The state collection against real raftkv processes on loopback (the
// bundled server, LocalCluster): healthy nodes agree at the leader's commit
// index; with the apply-index-race bug, a follower killed between state
// dumps restarts with entries skipped, and the checker names it and the
// keys it lost.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCluster, sleep } from '../../clusters/raftkv/local-cluster.ts';
import { STATE_HASH_F, checkDivergence, type DivergenceDetails } from '../../checkers/divergence.ts';
import { raftkvStateSource, withDivergence } from '../../workloads/divergence/index.ts';
import type { Client, Workload } from '../../workloads/workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { History, Op } from '../../history/op.ts';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stopAll();
  cluster = undefined;
});

interface Info extends ClusterInfo {
  urls: Record<string, string>;
}

const idle: Client = { open: async () => {}, invoke: async () => ({ type: 'fail', error: 'unused' }), close: async () => {} };
const workload: Workload<Info> = { name: 'idle', generator: () => ({ next: () => ({ kind: 'exhausted' }) }), client: () => idle, checkers: [] };

/** One state-hash op per node through the wrapped workload's clients, as the final phase issues them. */
async function collect(c: LocalCluster, budgetMs = 8000): Promise<History> {
  const info: Info = { nodes: c.nodes.map((n) => n.id), urls: Object.fromEntries(c.nodes.map((n) => [n.id, `http://127.0.0.1:${n.clientPort}`])) };
  const w = withDivergence(workload, { nodeCount: info.nodes.length, source: (i) => raftkvStateSource(i.urls), budgetMs });
  const history: Op[] = [];
  await Promise.all(
    info.nodes.map(async (node, p) => {
      const client = w.client(info);
      await client.open(node);
      const invoke: Op = { index: -1, time: 0, process: p, type: 'invoke', f: STATE_HASH_F, value: null, node };
      history.push(invoke);
      const done = await client.invoke(invoke);
      history.push({ index: -1, time: 0, process: p, type: done.type, f: STATE_HASH_F, value: done.value ?? null, node, ...(done.error ? { error: done.error } : {}) });
    }),
  );
  history.forEach((op, i) => Object.assign(op, { index: i, time: i }));
  return history;
}

describe('divergence on real raftkv nodes', () => {
  it('healthy: every node reports the same hash at the leader commit index, with its keys', async () => {
    cluster = await LocalCluster.create(3);
    await cluster.startAll();
    for (let i = 0; i < 20; i++) expect((await cluster.put(`k${i}`, i)).ok).toBe(true);
    // A budget whose share is fractional: the hash requests' timeouts must still be valid (AbortSignal.timeout
    // throws on a fraction, and every node then fell back to its current state after 60% of the budget).
    const t0 = Date.now();
    const h = await collect(cluster, 7_999);
    expect(Date.now() - t0).toBeLessThan(0.6 * 7_999);
    const r = checkDivergence(h, { nodes: ['n1', 'n2', 'n3'] });
    expect(r.summary).toContain('all 3 nodes agree');
    expect(r.valid).toBe(true);
    const report = h.find((o) => o.type === 'ok')!.value as { keys: Array<[string, string]>; index: number; keysIndex: number };
    expect(report.keys).toContainEqual(['k19', '19']);
    expect(report.keysIndex).toBe(report.index);
  });

  it('apply-index-race: a follower killed between state dumps skips entries; the checker names it and a lost key', async () => {
    cluster = await LocalCluster.create(3, ['--bug', 'apply-index-race']);
    await cluster.startAll();
    for (let i = 0; i < 5; i++) expect((await cluster.put(`warm${i}`, i)).ok).toBe(true);
    const leader = await cluster.leader();
    const victim = cluster.nodes.find((n) => n.id !== leader)!;
    const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);
    const stateFile = join(victim.dataDir, 'state.json');
    const indexFile = join(victim.dataDir, 'applied-index');
    // Right after a state dump (every 500 ms), write and kill before the next one. The race is real time, and
    // under load the next dump can come first: the files tell (the victim applied entries after its last dump
    // only when its applied index was written after its state), and another round is played then.
    let raced = false;
    for (let round = 0; round < 5 && !raced; round++) {
      const seen = mtime(stateFile);
      for (const t0 = Date.now(); mtime(stateFile) === seen && Date.now() - t0 < 2000; ) await sleep(5);
      for (let i = 0; i < 3; i++) expect((await cluster.put(`lost${round}-${i}`, i)).ok).toBe(true);
      // Time for the commit index to reach the follower and for it to apply (heartbeats every 50 ms).
      await sleep(120);
      await cluster.kill(victim.id);
      raced = mtime(indexFile) > mtime(stateFile);
      await cluster.start(victim.id);
    }
    expect(raced, 'the victim applied entries after its last state dump before it was killed').toBe(true);
    for (let i = 0; i < 3; i++) expect((await cluster.put(`after${i}`, i)).ok).toBe(true);
    const r = checkDivergence(await collect(cluster), { nodes: ['n1', 'n2', 'n3'] });
    expect(r.valid).toBe(false);
    const d = r.details as DivergenceDetails;
    expect(d.divergent.map((m) => m.node)).toEqual([victim.id]);
    const first = d.divergent[0].firstDifferingKeys ?? [];
    expect(first.length).toBeGreaterThan(0);
    expect(first[0]).toMatchObject({ member: null });
    expect(first[0].key).toMatch(/^lost/);
  });
});
