// Warm clusters (clusters/warm-pool.ts), as explore uses them: the second
// run gets the first run's containers back, but nothing else of it: no DB
// process, no firewall rule, no data, no log line, no clock control file.
// A run torn down by a signal is removed, and close() leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { DockerDbCluster, WarmPool, type ClusterNode, type DockerClusterInfo } from '../../clusters/index.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { runAllCleanups } from '../../clusters/cleanup.ts';
import { leftovers } from '../support/docker.ts';

const pool = new WarmPool();
const runIds = new Set<string>();

beforeAll(async () => {
  await ensureEnvironment();
}, 300_000);
afterAll(async () => {
  await pool.close();
  for (const id of runIds) expect(await leftovers(id)).toEqual({ containers: 0, networks: 0 });
}, 120_000);

const cluster = () => new DockerDbCluster({ db: raftkvDb(), nodeCount: 3 }).pooled(pool);
const containerIds = (info: DockerClusterInfo) => info.cluster.nodes.map((n) => (n as ClusterNode).container.id);
const runDir = () => mkdtempSync(join(tmpdir(), 'faultline-warm-test-'));

async function put(info: DockerClusterInfo, key: string): Promise<void> {
  const leader = (await info.db.leader(info.cluster))!;
  const res = await fetch(`${info.urls[leader]}/kv/put`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, value: 1 }) });
  expect((await res.json()) as { ok: boolean }).toMatchObject({ ok: true });
}

describe('warm clusters', () => {
  it('the next run reuses the containers, and starts from nothing: no process, rule, data, log or clock file of the last run', async () => {
    const first = cluster();
    const a = await first.setup(runDir());
    runIds.add(a.cluster.runId);
    await first.waitHealthy(a, 30_000);
    await put(a, 'from-run-1');
    const n1 = a.cluster.node('n1');
    await a.cluster.run('n1', ['/bin/sh', '-c', 'iptables -N faultline-test && iptables -A INPUT -p tcp --dport 9 -j faultline-test']);
    writeFileSync(join(n1.hostDir, 'faketime.rc'), '+3600s');
    const logsDir = runDir();
    await first.collectLogs(a, logsDir);
    expect(readFileSync(join(logsDir, 'n1', 'raftkv.log'), 'utf8')).toContain('start:');
    await first.teardown();
    expect(pool.counts).toEqual({ reused: 0, created: 1 });
    // Handed back: the containers still exist, their DB processes do not.
    expect(await leftovers(a.cluster.runId)).toEqual({ containers: 3, networks: 1 });
    expect(await a.cluster.isRunning('n1', 'raftkv')).toBe(false);

    const second = cluster();
    const b = await second.setup(runDir());
    await second.waitHealthy(b, 30_000);
    expect(containerIds(b)).toEqual(containerIds(a));
    expect(pool.counts).toEqual({ reused: 1, created: 1 });
    expect(await b.cluster.run('n1', ['/bin/sh', '-c', 'iptables -S'])).not.toContain('faultline-test');
    expect(existsSync(join(b.cluster.node('n1').hostDir, 'faketime.rc'))).toBe(false);
    const leader = (await b.db.leader(b.cluster))!;
    const got = await fetch(`${b.urls[leader]}/kv/get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'from-run-1' }) });
    expect(((await got.json()) as { value?: unknown }).value ?? null).toBeNull();
    // The log holds this run's start only.
    const log = readFileSync(join(b.cluster.node('n1').hostDir, 'raftkv.log'), 'utf8');
    expect(log.match(/ start: /g)).toHaveLength(1);
    expect(readdirSync(b.cluster.node('n1').hostDir).sort()).toEqual(['raftkv.log', 'raftkv.pid']);
    await second.teardown();
  }, 180_000);

  it('a run torn down while the process is cleaning up after a signal removes its cluster instead of keeping it', async () => {
    const c = cluster();
    const info = await c.setup(runDir());
    runIds.add(info.cluster.runId);
    // What the first SIGINT does (clusters/cleanup.ts): from here on the process is on its way out.
    await runAllCleanups(() => undefined);
    await c.teardown();
    expect(await leftovers(info.cluster.runId)).toEqual({ containers: 0, networks: 0 });
  }, 180_000);
});
