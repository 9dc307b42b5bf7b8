// --nemesis corrupt on real clusters: with a minority's DB down, bits
// flipped in (or a cut made in) one of its data files, then the DB started
// on it. The test holds the nemesis to its promises, whatever the DB does:
// the file really changed (read back), the outcome (served or refused, and
// why) is recorded, a refusing node gets its file back, and every node
// answers at the end. What each DB did is printed for the issue's note.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import type { DockerClusterInfo, DockerDbCluster } from '../../clusters/docker-db-cluster.ts';
import { raftkvSystem } from '../../harness/systems/raftkv.ts';
import { etcdSystem } from '../../harness/systems/etcd.ts';
import { zookeeperSystem } from '../../harness/systems/zookeeper.ts';
import { runTest, type RunOutcome } from '../../harness/run/index.ts';
import type { FaultValue } from '../../history/op.ts';
import type { TestDefinition } from '../../harness/test-definition.ts';
import { leftovers } from '../support/docker.ts';

const NODES = ['n1', 'n2', 'n3'];

beforeAll(async () => {
  await ensureEnvironment();
});

async function run(test: TestDefinition<DockerClusterInfo>): Promise<RunOutcome> {
  const runId = (test.db as DockerDbCluster).runId;
  const out = await runTest(test, { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 2000, status: 'off', handleSignals: false });
  expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
  return out;
}

type NodeSeen = Record<string, unknown>;
const completions = (out: RunOutcome, f: string) => out.history.filter((o) => o.process === 'nemesis' && o.f === f && o.type !== 'invoke').map((o) => o.value as FaultValue);
const perNode = (v: FaultValue) => (v.evidence as unknown as { nodes: Record<string, NodeSeen> }).nodes;

/** All three DBs refuse a damaged file by exiting, which the stop sees at once instead of waiting out its start budget. */
function expectKeptPromises(out: RunOutcome): string[] {
  const starts = completions(out, 'start-corrupt');
  const stops = completions(out, 'stop-corrupt');
  expect(starts.length).toBeGreaterThanOrEqual(1);
  const said: string[] = [];
  for (const s of starts) {
    expect(s.effect, `${s.description}: ${JSON.stringify(s.evidence)}`).toBe('took-effect');
    for (const seen of Object.values(perNode(s))) expect(seen.shaAfter).not.toBe(seen.shaBefore);
  }
  for (const s of stops) {
    expect(s.effect).toBe('took-effect'); // every corrupted node answers again, served or restored
    for (const [n, seen] of Object.entries(perNode(s))) {
      expect(['served', 'refused']).toContain(seen.outcome);
      if (seen.outcome === 'refused') expect(seen.exited, `${n} refused: ${String(seen.reason)}`).toBe(true);
      said.push(`${n} ${seen.outcome}${seen.reason ? `: ${seen.reason}` : ''}`);
    }
  }
  const heal = completions(out, 'stop-all').at(-1);
  expect(heal?.effect).not.toBe('no-effect');
  console.log(`${out.results.valid}: ${starts.map((s) => s.description).join(' / ')}\n  ${said.join('\n  ')}`);
  return said;
}

describe('--nemesis corrupt', () => {
  it.each(['bitflip', 'truncate'])('raftkv, %s: the file changed, the outcome recorded, every node answering at the end', async (variant) => {
    const out = await run(raftkvSystem.test({ workload: 'register', nemesis: `corrupt-${variant}`, timeLimit: 10, opTimeout: 2000, nemesisInterval: '2s', concurrency: 6, rate: 100 }, NODES, 3));
    expectKeptPromises(out);
  });

  it.each(['bitflip', 'truncate'])('etcd 3.4.23, %s: the file changed, the outcome recorded, every node answering at the end', async (variant) => {
    const out = await run(etcdSystem.test({ workload: 'register', nemesis: `corrupt-${variant}`, timeLimit: 10, opTimeout: 3000, nemesisInterval: '2.5s', rate: 50, readMode: 'linearizable' }, NODES, 3));
    expectKeptPromises(out);
  });

  // A system definition declares its data files (node.dataFiles): ZooKeeper's transaction logs, snapshots and epoch.
  it.each(['bitflip', 'truncate'])('zookeeper (a definition\'s dataFiles), %s: the file changed, the outcome recorded, every node answering at the end', async (variant) => {
    const out = await run(zookeeperSystem.test({ workload: 'register', nemesis: `corrupt-${variant}`, timeLimit: 12, opTimeout: 3000, nemesisInterval: '3s', rate: 50, readMode: 'linearizable' }, NODES, 3) as TestDefinition<DockerClusterInfo>);
    expectKeptPromises(out);
  });
});
