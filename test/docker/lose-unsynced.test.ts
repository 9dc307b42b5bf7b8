// --nemesis lose-unsynced on real clusters: each node's data on the
// lose-unsynced filesystem (disk/lazyfs.py), power losses that kill the DB
// and drop what was never fsynced. raftkv's skip-fsync bug (nothing
// simulated: it only skips fsync) loses acknowledged adds that a plain kill
// keeps; the correct raftkv and etcd lose nothing they acknowledged; no
// mount outlives its run.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import type { DockerDbCluster } from '../../clusters/docker-db-cluster.ts';
import { lazyFsUnavailable, lazyMounts } from '../../disk/index.ts';
import { raftkvSystem, type RaftkvTestArgs } from '../../harness/systems/raftkv.ts';
import { etcdSystem } from '../../harness/systems/etcd.ts';
import { runTest, type RunOutcome } from '../../harness/run/index.ts';
import type { FaultValue } from '../../history/op.ts';
import type { TestDefinition } from '../../harness/test-definition.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { execa } from 'execa';
import { docker, RUN_LABEL } from '../../clusters/docker/engine.ts';
import { CLI, REPO_ROOT, faultline } from '../support/cli.ts';
import { leftovers, waitFor } from '../support/docker.ts';

const NODES = ['n1', 'n2', 'n3'];
const unavailable = await lazyFsUnavailable();

beforeAll(async () => {
  await ensureEnvironment();
});

async function run(test: TestDefinition<DockerClusterInfo>): Promise<RunOutcome> {
  const runId = (test.db as DockerDbCluster).runId;
  const out = await runTest(test, { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 2000, status: 'off', handleSignals: false });
  expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
  expect(lazyMounts().filter((m) => m.fsname.includes(runId))).toEqual([]);
  expect(readdirSync(tmpdir()).filter((f) => f.includes(runId))).toEqual([]); // control sockets gone too
  return out;
}

const raftkv = (args: Partial<RaftkvTestArgs>, seed: number) =>
  run(raftkvSystem.test({ workload: 'set', nemesis: 'lose-unsynced-all', timeLimit: 10, opTimeout: 2000, nemesisInterval: '2s', concurrency: 6, rate: 100, ...args }, NODES, seed));

const verdict = (out: RunOutcome, checker: string) => out.results.checkers.find((c) => c.checker === checker);
const drops = (out: RunOutcome) =>
  out.history.filter((o) => o.process === 'nemesis' && o.f === 'start-lose-unsynced' && o.type !== 'invoke').map((o) => o.value as FaultValue);

describe.skipIf(unavailable !== undefined)('--nemesis lose-unsynced', () => {
  it('raftkv --bug skip-fsync: a power loss of every node loses acknowledged adds; the set checker names them', async () => {
    const out = await raftkv({ bug: ['skip-fsync'] }, 1);
    expect(verdict(out, 'set')).toMatchObject({ valid: false, summary: expect.stringMatching(/lost \d+ element/) });
    const d = drops(out);
    expect(d.length).toBeGreaterThanOrEqual(1);
    expect(d[0]).toMatchObject({ effect: 'took-effect', nodes: NODES });
    expect(d[0].droppedBytes).toBeGreaterThan(0);
    expect(d[0].description).toMatch(/power loss on n1 n2 n3 \(all\): kill -9 raftkv, \d+ unsynced bytes dropped/);
  });

  it('raftkv --bug skip-fsync under plain kills of every node loses nothing: only the filesystem shows the bug', async () => {
    const out = await raftkv({ bug: ['skip-fsync'], nemesis: 'kill-all' }, 1);
    expect(verdict(out, 'set')).toMatchObject({ valid: true });
    expect(out.results.valid).toBe(true);
  });

  it('the correct raftkv keeps every acknowledged add across power losses', async () => {
    const out = await raftkv({}, 1);
    expect(drops(out).length).toBeGreaterThanOrEqual(1);
    for (const c of out.results.checkers) expect({ checker: c.checker, valid: c.valid, summary: c.summary }).toMatchObject({ valid: true });
  });

  it('etcd 3.4.23 keeps every acknowledged write across power losses (register, linearizable)', async () => {
    const out = await run(etcdSystem.test({ workload: 'register', nemesis: 'lose-unsynced', timeLimit: 12, opTimeout: 3000, nemesisInterval: '2.5s', rate: 50, readMode: 'linearizable' }, NODES, 2));
    expect(drops(out).length).toBeGreaterThanOrEqual(1);
    for (const d of drops(out)) expect(d.effect).toBe('took-effect');
    for (const c of out.results.checkers) expect({ checker: c.checker, valid: c.valid, summary: c.summary }).toMatchObject({ valid: true });
  });

  describe('a controller that stops mid-run leaves no mount behind', () => {
    /** Start `faultline test` with power losses; resolves once its run's mounts exist. */
    async function startRun() {
      const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
      const child = execa('node', [CLI, 'test', '--db', 'raftkv', '--workload', 'set', '--nodes', '3', '--time-limit', '60', '--nemesis', 'lose-unsynced', '--nemesis-interval', '2s', '--store', store], { cwd: REPO_ROOT, reject: false, stdin: 'ignore' });
      const runId = await waitFor('the run containers', async () => {
        const list = await docker().listContainers({ filters: { label: [RUN_LABEL, 'faultline.mode=test'] } });
        return list.find((c) => c.Labels['faultline.owner']?.endsWith(`:${child.pid}`))?.Labels[RUN_LABEL];
      }, 60_000);
      await waitFor('its lose-unsynced mounts', async () => lazyMounts().filter((m) => m.fsname.includes(runId)).length === 3, 30_000);
      return { child, runId };
    }

    it('SIGINT: healed, torn down, unmounted, exit 2', async () => {
      const { child, runId } = await startRun();
      await new Promise((r) => setTimeout(r, 4000)); // into the fault schedule
      child.kill('SIGINT');
      expect((await child).exitCode).toBe(2);
      expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
      expect(lazyMounts().filter((m) => m.fsname.includes(runId))).toEqual([]);
    });

    it('SIGKILL: the mounts stay until `faultline clean`, which unmounts them with the containers', async () => {
      const { child, runId } = await startRun();
      child.kill('SIGKILL');
      await child;
      expect(lazyMounts().filter((m) => m.fsname.includes(runId))).toHaveLength(3);
      const r = await faultline(['clean', '--json']);
      expect(r.exitCode).toBe(0);
      const cleaned = JSON.parse(String(r.stdout)) as { unmounted: { runId: string }[] };
      expect(cleaned.unmounted.filter((m) => m.runId === runId)).toHaveLength(3);
      expect(lazyMounts().filter((m) => m.fsname.includes(runId))).toEqual([]);
      expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
    });
  });
});
