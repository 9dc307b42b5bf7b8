// The fault schedule through the real run loop: etcd register workload,
// --nemesis partition,kill,pause,loss with a 1 s interval. The history
// records each fault's start and stop with the nodes hit and the evidence
// that it took effect, the run heals at the end, etcd recovers, the history
// checks out as linearizable and the faults checker agrees every fault took
// effect. A partition broken on purpose (its rules in a chain nothing jumps
// to) ends the run unknown: faults had no effect, exit 2.
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
import { FaultNemesis, nemesisPlan, resolveNemeses } from '../../nemeses/index.ts';
import { checkerFromSpec, exitCodeFor, type FaultsDetails } from '../../checkers/index.ts';
import { concat, cycle, once, seconds, sleep } from '../../generator/index.ts';
import type { Workload } from '../../workloads/index.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { leftovers } from '../support/docker.ts';

/** The register workload on etcd, with the faults check the system table adds to every run with faults. */
function registerWithFaultsCheck(config: Record<string, unknown>): Workload<DockerClusterInfo> {
  const w = workloadFor('etcd', etcdClients({ timeoutMs: 1000, readMode: 'linearizable' }), 'register');
  return { ...w, checkers: [...w.checkers, checkerFromSpec({ name: 'faults', config })] };
}

const clusters: DockerDbCluster[] = [];
afterAll(async () => {
  for (const cluster of clusters) {
    await cluster.teardown();
    expect(await leftovers(cluster.runId)).toEqual({ containers: 0, networks: 0 });
  }
});

describe('nemesis plan in a run', () => {
  it('faults start and stop in turn, each recorded with the nodes it hit; all healed; etcd stays linearizable', async () => {
    await ensureEnvironment();
    const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
    const cluster = new DockerDbCluster({ db, nodeCount: 3 });
    clusters.push(cluster);
    const out = await runTest(
      {
        name: 'etcd-register-nemeses',
        nodes: ['n1', 'n2', 'n3'],
        db: cluster,
        workload: registerWithFaultsCheck({ requested: ['partition', 'kill', 'pause', 'loss'] }),
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
    // Every fault applied took effect, and every heal did, each with its evidence.
    for (const op of faults.filter((o) => o.type !== 'fail')) {
      const v = op.value as FaultValue;
      expect(op.type, `${op.f}: ${op.error}`).toBe('ok');
      expect(v.effect, `${op.f} ${v.description}: ${v.evidence?.summary}`).toBe('took-effect');
      expect(v.evidence?.summary).toBeTruthy();
      if (op.f.startsWith('start-')) {
        expect(v.fault).toBe(op.f.slice(6));
        expect(v.nodes.length).toBeGreaterThan(0);
        expect(typeof v.description).toBe('string');
      }
    }
    // The run ends with the heal of everything, itself checked.
    expect(completions[completions.length - 1]).toMatchObject({ f: 'stop-all', type: 'ok', value: { effect: 'took-effect' } });
    const verdict = out.results.checkers.find((c) => c.checker === 'faults')!;
    expect(verdict.valid, verdict.summary).toBe(true);
    expect(verdict.summary).toMatch(/^every fault kind took effect: /);
    const details = verdict.details as FaultsDetails;
    expect(details.counts.noEffect + details.counts.unverified).toBe(0);
    for (const f of details.faults) expect(f.impact.throughput.during).toBeGreaterThanOrEqual(0);
    expect(out.results.valid, out.results.checkers.map((c) => `${c.checker}: ${c.summary}`).join('\n')).toBe(true);
  });

  it('a partition broken on purpose (unhooked chain) ends the run unknown: faults had no effect, exit 2', async () => {
    const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
    const cluster = new DockerDbCluster({ db, nodeCount: 3 });
    clusters.push(cluster);
    // The schedule of --nemesis partition, but every partition's drops go into a chain INPUT never jumps to.
    const broken = () =>
      cycle(() => concat(sleep(seconds(1)), once((ctx) => ({ f: 'start-partition', value: { variant: 'halves', seed: ctx.random.uint32(), sabotage: 'unhooked-chain' } })), sleep(seconds(1)), once({ f: 'stop-partition', value: null })));
    const warnings: string[] = [];
    const out = await runTest(
      {
        name: 'etcd-register-broken-partition',
        nodes: ['n1', 'n2', 'n3'],
        db: cluster,
        workload: registerWithFaultsCheck({ requested: ['partition'] }),
        nemesis: { nemesis: new FaultNemesis(resolveNemeses(['partition'])), generator: broken },
        timeLimit: 5,
        concurrency: 3,
        rate: 30,
        seed: 3,
      },
      { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 1000, status: 'off', handleSignals: false, onEvent: (e) => e.type === 'warning' && warnings.push(e.message) },
    );
    const verdict = out.results.checkers.find((c) => c.checker === 'faults')!;
    const starts = (verdict.details as FaultsDetails).kinds.find((k) => k.kind === 'partition')!.injected;
    expect(starts).toBeGreaterThanOrEqual(1);
    expect(verdict).toMatchObject({ valid: 'unknown', summary: `faults had no effect (partition 0/${starts} took effect)` });
    expect(out.results.valid).toBe('unknown');
    expect(exitCodeFor(out.results.valid)).toBe(2);
    // Said while the run went, too.
    expect(warnings.some((w) => /^start-partition had no effect: \d+ of \d+ pairs meant to be cut still connect/.test(w)), warnings.join('\n')).toBe(true);
  });
});
