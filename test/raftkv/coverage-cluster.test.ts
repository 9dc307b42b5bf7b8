// Coverage end to end on real server processes (the esbuild bundle): the
// events the cores report reach the nodes' logs as `coverage` lines, and the
// parser the harness uses counts them. Driven by events (statuses), not sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster, sleep } from '../../clusters/raftkv/local-cluster.ts';
import { raftkvCoverage } from '../../clusters/raftkv/coverage.ts';

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.stopAll();
  cluster = undefined;
});

async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await done().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting: ${what}`);
}

const coverageOf = (c: LocalCluster) => raftkvCoverage(new Map(c.nodes.map((n) => [n.id, n.log])));

describe('raftkv coverage from real node logs', () => {
  it('a leader cut off with uncommitted writes and a pending read, killed, outlived by a new leader, then back: elections, step-down, truncation', async () => {
    // A long election timeout: the writes below must reach the old leader before it notices it lost its quorum.
    cluster = await LocalCluster.create(3, ['--election-timeout', '1000']);
    const c = cluster;
    await c.startAll();
    for (let i = 0; i < 3; i++) expect((await c.put(`a${i}`, i)).ok).toBe(true);
    const old = await c.leader();
    const followers = c.nodes.map((n) => n.id).filter((id) => id !== old);
    for (const f of followers) await c.kill(f);
    // Appended to the old leader's log only: they can never commit. The read waits for a quorum round.
    const writes = [0, 1, 2].map((i) => c.call(old, 'put', { key: `u${i}`, value: i, timeoutMs: 300 }));
    const read = c.call(old, 'get', { key: 'a0', timeoutMs: 30_000 });
    expect((await Promise.all(writes)).map((o) => (o.ok ? 'ok' : o.outcome))).toEqual(['info', 'info', 'info']);
    await until('the old leader steps down', async () => (await c.status(old)).role === 'follower');
    expect(await read).toMatchObject({ ok: false, outcome: 'fail', error: 'not-leader' });
    await c.kill(old);

    for (const f of followers) await c.start(f);
    const next = await c.leader();
    for (let i = 0; i < 3; i++) expect((await c.put(`n${i}`, i)).ok).toBe(true);
    await c.start(old);
    // The old leader's tail is cut once it has taken the new leader's entries.
    const commit = (await c.status(next)).commitIndex;
    await until('the old leader applies the new leader\'s entries', async () => (await c.status(old)).appliedIndex >= commit);

    const coverage = coverageOf(c);
    expect(coverage.events['leader-elected']).toBeGreaterThanOrEqual(2);
    expect(coverage.perNode?.[old]).toMatchObject({
      'leader-change-with-uncommitted': 1,
      'read-during-leader-change': 1,
      'log-truncated': 1,
      // Its 3 extra entries made its log longer than the new leader's was when that one won.
      'elected-with-stale-log': 1,
    });
    expect(coverage.events['restart-recovered']).toBe(3);
    expect(coverage.perNode?.[next]?.['earlier-term-commit']).toBeGreaterThanOrEqual(1);
  });
});
