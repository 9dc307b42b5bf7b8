// Real Docker, real etcd: the cluster backend keeps etcd's promises under
// kills and pauses, and leaves nothing behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { etcdPost, get, memberList, put } from '../../clusters/etcd/api.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import { leftovers, waitFor } from '../support/docker.ts';

const db = etcdDb();
let running: RunningCluster;
const url = (node: string) => db.clientUrl(running.cluster, node);

beforeAll(async () => {
  await ensureEnvironment();
});

async function freshCluster(): Promise<RunningCluster> {
  const runId = makeRunId();
  running = await startCluster({ db, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
  return running;
}

afterEach(async () => {
  if (!running) return;
  await running.teardown();
  expect(await leftovers(running.cluster.runId)).toEqual({ containers: 0, networks: 0 });
});
afterAll(async () => running && (await running.teardown()));

describe('etcd on the docker backend', () => {
  it('comes up with 3 members; a key written through one node is read through every node', async () => {
    await freshCluster();
    const nodes = running.cluster.nodes.map((n) => n.name);
    expect(nodes).toEqual(['n1', 'n2', 'n3']);
    await put(url('n1'), 'greeting', 'hello from n1');
    for (const n of nodes) expect((await get(url(n), 'greeting'))?.value).toBe('hello from n1');
    const members = await db.status(running.cluster);
    expect(members.filter((m) => m.leader)).toHaveLength(1);
    expect(members.every((m) => m.up && m.version === '3.4.23')).toBe(true);
  });

  it('kill -9 the leader: a new leader is elected and writes succeed; the old leader restarts and catches up', async () => {
    await freshCluster();
    const c = running.cluster;
    const oldLeader = (await db.leader(c))!;
    expect(oldLeader).toBeDefined();
    expect(await c.signal(oldLeader, 'etcd', 'KILL')).toBe(true);
    await waitFor('etcd process gone', async () => !(await c.isRunning(oldLeader, 'etcd')), 5000);
    const survivor = c.nodes.find((n) => n.name !== oldLeader)!.name;

    // waitFor fails the test when no new leader shows within 10 s.
    const newLeader = await waitFor('a new leader', async () => {
      const l = await db.leader(c);
      return l && l !== oldLeader ? l : undefined;
    }, 10_000);
    expect(newLeader).not.toBe(oldLeader);
    await waitFor('a write to succeed', () => put(url(survivor), 'after-kill', 'v1').then(() => true), 10_000);

    await db.start(c, oldLeader, { fresh: false });
    await db.waitHealthy(c, 20_000);
    // Its own local (serializable) read shows the write it missed: it caught up from its kept data + the leader.
    const seen = await waitFor('old leader to catch up', async () => (await get(url(oldLeader), 'after-kill', { serializable: true }))?.value, 10_000);
    expect(seen).toBe('v1');
  });

  it('pause a follower: writes still succeed; resume it: it catches up', async () => {
    await freshCluster();
    const c = running.cluster;
    const leader = (await db.leader(c))!;
    const follower = c.nodes.find((n) => n.name !== leader)!.name;
    expect(await c.signal(follower, 'etcd', 'STOP')).toBe(true);
    for (let i = 0; i < 5; i++) await put(url(leader), `paused-${i}`, String(i));
    // The paused member cannot answer at all.
    await expect(get(url(follower), 'paused-0', { serializable: true, timeoutMs: 500 })).rejects.toThrow();
    expect(await c.signal(follower, 'etcd', 'CONT')).toBe(true);
    const seen = await waitFor('follower to catch up', async () => (await get(url(follower), 'paused-4', { serializable: true }))?.value, 10_000);
    expect(seen).toBe('4');
  });

  it('wipe a member: it rejoins as a new, empty member and is caught up by the leader', async () => {
    await freshCluster();
    const c = running.cluster;
    const leader = (await db.leader(c))!;
    const victim = c.nodes.find((n) => n.name !== leader)!.name;
    await put(url(leader), 'before-wipe', 'kept by the others');
    const idBefore = (await memberList(url(leader))).find((m) => m.name === victim)!.id;
    await db.wipe!(c, victim);
    await db.waitHealthy(c, 30_000);
    const seen = await waitFor('wiped member to catch up', async () => (await get(url(victim), 'before-wipe', { serializable: true }))?.value, 15_000);
    expect(seen).toBe('kept by the others');
    // It is a new member (new id), not the old one restarted with its data.
    const after = await memberList(url(leader));
    expect(after).toHaveLength(3);
    expect(after.find((m) => m.name === victim)!.id).not.toBe(idBefore);
  });

  it('a member add asked while the cluster has no quorum is retried until applied (the member nemesis survives it)', async () => {
    await freshCluster();
    const c = running.cluster;
    const m = db.membership!;
    const [victim, down, live] = ['n1', 'n2', 'n3'];
    await m.remove(c, victim);
    // Two members left and one of them killed: no quorum, so the add can only time out until `down` is back.
    await c.signal(down, 'etcd', 'KILL');
    const adding = m.add(c, victim);
    await new Promise((r) => setTimeout(r, 4000));
    await db.start(c, down, { fresh: false });
    await adding;
    await db.waitHealthy(c, 30_000);
    const after = await memberList(url(live));
    expect(after.map((x) => x.name).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('a member added but never started is started by the next add, not added twice', async () => {
    await freshCluster();
    const c = running.cluster;
    const m = db.membership!;
    await m.remove(c, 'n1');
    // What a timed-out add leaves behind: etcd applied it, nobody started the member.
    const peerUrl = (await memberList(url('n2'))).find((x) => x.name === 'n2')!.peerURLs[0].replace(c.node('n2').ip, c.node('n1').ip);
    // etcd refuses a change right after the last one ("unhealthy cluster") for a few seconds.
    await waitFor('the add to be accepted', () => etcdPost(url('n2'), 'cluster/member/add', { peerURLs: [peerUrl] }).then(() => true, () => undefined), 20_000);
    expect((await m.list(c)).find((x) => x.node === 'n1')).toMatchObject({ started: false });
    await m.add(c, 'n1');
    await db.waitHealthy(c, 30_000);
    const after = await memberList(url('n2'));
    expect(after).toHaveLength(3);
    expect(after.map((x) => x.name).sort()).toEqual(['n1', 'n2', 'n3']);
  });
});
