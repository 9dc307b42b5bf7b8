// The fault schedule through the real run loop: etcd register workload,
// --nemesis partition,kill,pause,loss with a 1 s interval. The history
// records each fault's start and stop with the nodes hit, the run heals at the
// end, etcd recovers and the history checks out as linearizable.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { DockerDbCluster } from '../../clusters/docker-db-cluster.ts';
import { workloadFor } from '../../workloads/registry.ts';
import { etcdClients } from '../../harness/systems/etcd.ts';
import { runTest } from '../../harness/run/index.ts';
import type { FaultValue } from '../../history/op.ts';
import { nemesisPlan } from '../../nemeses/index.ts';
import { leftovers } from '../support/docker.ts';

let cluster: DockerDbCluster | undefined;
afterAll(async () => {
  if (!cluster) return;
  await cluster.teardown();
  expect(await leftovers(cluster.runId)).toEqual({ containers: 0, networks: 0 });
});

describe('nemesis plan in a run', () => {
  it('faults start and stop in turn, each recorded with the nodes it hit; all healed; etcd stays linearizable', async () => {
    await ensureEnvironment();
    const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
    cluster = new DockerDbCluster({ db, nodeCount: 3 });
    const out = await runTest(
      {
        name: 'etcd-register-nemeses',
        nodes: ['n1', 'n2', 'n3'],
        db: cluster,
        workload: workloadFor('etcd', etcdClients({ timeoutMs: 1000, readMode: 'linearizable' }), 'register'),
        nemesis: nemesisPlan(['partition', 'kill', 'pause', 'loss'], { intervalS: 1, db }),
        timeLimit: 9,
        concurrency: 3,
        rate: 50,
        seed: 12,
      },
      { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 1000, status: 'off', handleSignals: false },
    );
    const nemesis = out.history.filter((o) => o.process === 'nemesis');
    const completions = nemesis.filter((o) => o.type !== 'invoke');
    const faults = completions.filter((o) => o.f !== 'stop-all');
    expect(faults.length).toBeGreaterThanOrEqual(4);
    faults.forEach((op, i) => {
      const verb = op.f.split('-')[0];
      expect(verb).toBe(i % 2 === 0 ? 'start' : 'stop');
      if (verb === 'stop') expect(op.f.slice(5)).toBe(faults[i - 1].f.slice(6));
    });
    for (const op of faults.filter((o) => o.type === 'ok' && o.f.startsWith('start-'))) {
      const v = op.value as FaultValue;
      expect(v.fault).toBe(op.f.slice(6));
      expect(v.nodes.length).toBeGreaterThan(0);
      expect(typeof v.description).toBe('string');
    }
    // The run ends with the heal of everything.
    expect(completions[completions.length - 1]).toMatchObject({ f: 'stop-all', type: 'ok' });
    expect(out.results.valid).toBe(true);
  });
});
