// Real server processes (the esbuild bundle) on loopback: durability across
// SIGKILL, agreement of state hashes, and the no-fsync bug losing data.
import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { LocalCluster, sleep } from '../../clusters/raftkv/local-cluster.ts';
import { setFailpoint, setPeerDelay } from '../../clusters/raftkv/admin.ts';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stopAll();
  cluster = undefined;
});

/** Wait until every node has applied at least `index`. */
async function allApplied(c: LocalCluster, index: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const s = await Promise.all(c.nodes.map((n) => c.status(n.id).catch(() => undefined)));
    if (s.every((x) => x && x.appliedIndex >= index)) return;
    await sleep(50);
  }
  throw new Error(`not all nodes applied ${index}`);
}

describe('raftkv server processes', () => {
  it('the bundle is one self-contained file: it imports Node built-ins only, and runs from a bare folder', async () => {
    cluster = await LocalCluster.create(1);
    const source = fs.readFileSync(cluster.serverFile, 'utf8');
    const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect(source).not.toMatch(/\brequire\(/);
    await cluster.startAll(); // from a temp folder with no node_modules anywhere above it
    expect(await cluster.put('k', 'v')).toMatchObject({ ok: true });
  });

  it('three bundled nodes: acknowledged writes survive a SIGKILL of the leader, and state hashes agree', async () => {
    cluster = await LocalCluster.create(3, ['--snapshot-every', '25']);
    await cluster.startAll();
    const acked = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const out = await cluster.put(`k${i}`, i);
      expect(out.ok).toBe(true);
      acked.set(`k${i}`, i);
    }
    const victim = await cluster.leader();
    await cluster.kill(victim);
    for (let i = 40; i < 70; i++) {
      const out = await cluster.put(`k${i}`, i);
      expect(out.ok).toBe(true);
      acked.set(`k${i}`, i);
    }
    await cluster.start(victim);
    const leader = await cluster.leader();
    const txn = await cluster.call(leader, 'txn', { ops: [['append', 'list', 1], ['append', 'list', 2], ['r', 'list', null]] });
    expect(txn).toMatchObject({ ok: true, ops: [['append', 'list', 1], ['append', 'list', 2], ['r', 'list', [1, 2]]] });
    const index = (await cluster.status(leader)).commitIndex;
    await allApplied(cluster, index);
    for (const n of cluster.nodes) {
      const { entries } = await cluster.keys(n.id);
      const got = new Map(entries);
      for (const [k, v] of acked) expect(got.get(k), `${n.id} ${k}`).toBe(v);
    }
    const hashes = await Promise.all(cluster.nodes.map((n) => cluster!.hashAt(n.id, index)));
    expect(new Set(hashes.map((h) => h.hash)).size).toBe(1);
    // Reads are linearizable by default: a follower refuses and names the leader.
    const follower = cluster.nodes.find((n) => n.id !== leader)!.id;
    expect(await cluster.call(follower, 'get', { key: 'k1' })).toMatchObject({ ok: false, outcome: 'fail', error: 'not-leader', leader });
    expect(await cluster.call(leader, 'get', { key: 'k1' })).toMatchObject({ ok: true, value: 1 });
  });

  /** One node: ack 30 writes, SIGKILL it at once, restart, count what survived. */
  async function survivorsAfterKill(bugs: string[]): Promise<number> {
    cluster = await LocalCluster.create(1, bugs.flatMap((b) => ['--bug', b]));
    await cluster.startAll();
    for (let i = 0; i < 30; i++) expect((await cluster.put(`k${i}`, i)).ok).toBe(true);
    await cluster.kill('n1');
    await cluster.start('n1');
    const leader = await cluster.leader();
    // The restarted node replays its log: count once it has applied everything it committed.
    await allApplied(cluster, (await cluster.status(leader)).commitIndex);
    const { entries } = await cluster.keys(leader);
    return entries.length;
  }

  it('without bugs, a SIGKILL right after the acks loses nothing', async () => {
    expect(await survivorsAfterKill([])).toBe(30);
  });

  it('with no-fsync, a SIGKILL right after the acks loses acknowledged writes', async () => {
    expect(await survivorsAfterKill(['no-fsync'])).toBeLessThan(30);
  });

  /**
   * Three nodes under a steady write stream; a follower is SIGKILLed mid-stream
   * and restarted, up to `rounds` times or until states differ. Returns how
   * many distinct state hashes the nodes have at a common applied index.
   */
  async function hashesAfterFollowerKills(bugs: string[], rounds: number): Promise<number> {
    cluster = await LocalCluster.create(3, bugs.flatMap((b) => ['--bug', b]));
    await cluster.startAll();
    const leader = await cluster.leader();
    const victim = cluster.nodes.find((n) => n.id !== leader)!.id;
    let i = 0;
    const writeFor = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) await cluster!.call(leader, 'txn', { ops: [['append', `k${i % 5}`, i++]] });
    };
    let distinct = 0;
    for (let round = 0; round < rounds && distinct < 2; round++) {
      await writeFor(1_200);
      await cluster.kill(victim);
      await cluster.start(victim);
      await writeFor(200);
      const index = (await cluster.status(leader)).commitIndex;
      await allApplied(cluster, index);
      const hashes = await Promise.all(cluster.nodes.map((n) => cluster!.hashAt(n.id, index)));
      distinct = new Set(hashes.map((h) => h.hash)).size;
    }
    return distinct;
  }

  it('a follower killed mid-stream rebuilds the same state (snapshot + log replay)', async () => {
    expect(await hashesAfterFollowerKills([], 1)).toBe(1);
  });

  it('with apply-index-race, the killed follower skips entries and its state diverges', async () => {
    // A kill right after a state dump loses nothing, hence a few rounds.
    expect(await hashesAfterFollowerKills(['apply-index-race'], 6)).toBe(2);
  });

  it('the delay fault: POST /admin/delay holds back the leader\'s peer messages, status shows it, writes still commit; probability 0 ends it', async () => {
    cluster = await LocalCluster.create(3);
    await cluster.startAll();
    const leader = await cluster.leader();
    const url = `http://127.0.0.1:${cluster.node(leader).clientPort}`;
    await setPeerDelay(url, { probability: 1, maxMs: 40 });
    expect((await cluster.status(leader)).delay).toEqual({ probability: 1, maxMs: 40 });
    for (let i = 0; i < 5; i++) expect((await cluster.put(`d${i}`, i)).ok).toBe(true);
    await expect(setPeerDelay(url, { probability: 2, maxMs: 40 })).rejects.toThrow(/probability must be within/);
    await setPeerDelay(url, null);
    expect((await cluster.status(leader)).delay).toBeNull();
  });

  it('failpoint crash-before-leader-send: the next leader persists its own-term entry and dies before sending it', async () => {
    cluster = await LocalCluster.create(3);
    await cluster.startAll();
    for (let i = 0; i < 3; i++) expect((await cluster.put(`f${i}`, i)).ok).toBe(true);
    const leader = await cluster.leader();
    const followers = cluster.nodes.filter((n) => n.id !== leader).map((n) => n.id);
    const url = (id: string) => `http://127.0.0.1:${cluster!.node(id).clientPort}`;
    await expect(setFailpoint(url(followers[0]), 'no-such' as never, true)).rejects.toThrow(/unknown failpoint/);
    await Promise.all(followers.map((id) => setFailpoint(url(id), 'crash-before-leader-send', true)));
    const before = await Promise.all(followers.map((id) => cluster!.status(id)));
    await cluster.kill(leader);
    // One follower wins the election and dies at the failpoint; the other, alone, cannot elect anyone.
    const exited = await Promise.race(followers.map((id) => new Promise<string>((r) => cluster!.node(id).proc!.once('exit', () => r(id)))));
    expect(cluster.node(exited).log).toContain('failpoint crash-before-leader-send: exiting');
    // Nothing left it: the other follower's log, as persisted (killed, then restarted alone, so no
    // election can change it), holds no entry of the new term. Judged from the disk, not after a sleep.
    const survivor = followers.find((id) => id !== exited)!;
    await cluster.kill(survivor);
    await cluster.start(survivor);
    expect((await cluster.status(survivor)).lastIndex).toBe(before[followers.indexOf(survivor)].lastIndex);
    // What the crashed one persisted survived: restarted alone, its log holds one more entry, its no-op, of a newer term.
    await cluster.kill(survivor);
    await cluster.start(exited);
    const after = await cluster.status(exited);
    const was = before[followers.indexOf(exited)];
    expect(after.lastIndex).toBe(was.lastIndex + 1);
    expect(after.term).toBeGreaterThan(was.term);
  });

  it('with stale-read, a follower answers reads from its local state', async () => {
    cluster = await LocalCluster.create(3, ['--bug', 'stale-read']);
    await cluster.startAll();
    await cluster.put('x', 1);
    const leader = await cluster.leader();
    const follower = cluster.nodes.find((n) => n.id !== leader)!.id;
    // Wait for the follower to apply what the leader committed (an event, not a sleep a loaded machine could outrun).
    const committed = (await cluster.status(leader)).commitIndex;
    for (let i = 0; i < 200 && (await cluster.status(follower)).appliedIndex < committed; i++) await sleep(25);
    expect((await cluster.status(follower)).appliedIndex).toBeGreaterThanOrEqual(committed);
    expect(await cluster.call(follower, 'get', { key: 'x' })).toMatchObject({ ok: true, value: 1 });
  });
});
