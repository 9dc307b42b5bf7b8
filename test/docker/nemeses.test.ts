// Real Docker, real etcd: every nemesis applied and healed on a live
// 3-node cluster, and the faults do what they claim (an isolated leader is
// cut off, a one-way partition is one-way). Nothing is left behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { get, put } from '../../clusters/etcd/api.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { Completion } from '../../history/op.ts';
import type { FaultValue } from '../../history/op.ts';
import { FaultNemesis, resolveNemeses, type FaultSpec } from '../../nemeses/index.ts';
import { ourRules } from '../../nemeses/iptables.ts';
import { clockControl, CLOCK_FILE, writeClockControl } from '../../clusters/faketime.ts';
import { leftovers, waitFor } from '../support/docker.ts';

// Short raft timeouts: elections after a fault take a fraction of a second.
const db = etcdDb({ heartbeatMs: 50, electionMs: 500 });
let running: RunningCluster | undefined;

beforeAll(async () => {
  await ensureEnvironment();
});

async function freshCluster(): Promise<DockerClusterInfo> {
  const runId = makeRunId();
  running = await startCluster({ db, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
  const docker = running.cluster;
  const nodes = docker.nodes.map((n) => n.name);
  return { nodes, docker, db, urls: Object.fromEntries(nodes.map((n) => [n, db.clientUrl(docker, n)])) };
}

afterEach(async () => {
  if (!running) return;
  const r = running;
  running = undefined;
  await r.teardown();
  expect(await leftovers(r.cluster.runId)).toEqual({ containers: 0, networks: 0 });
});
afterAll(async () => running && (await running.teardown()));

let opIndex = 0;
function fault(nem: FaultNemesis, info: DockerClusterInfo, f: string, value: FaultSpec | null = null): Promise<Completion> {
  return nem.invoke({ index: opIndex++, time: 0, process: 'nemesis', type: 'invoke', f, value }, info);
}

/** Per node in one exec: our iptables rules and the DB process state letter (R, S, T ...). */
async function nodeState(info: DockerClusterInfo, node: string): Promise<{ rules: string[]; state: string }> {
  const out = await info.docker.run(node, ['/bin/sh', '-c', 'iptables -S; echo ---; cat /proc/$(cat /faultline/etcd.pid)/status 2>/dev/null || echo "State: X (gone)"']);
  const [rules, status] = out.split('---\n');
  return { rules: ourRules(rules), state: /^State:\s+(\S)/m.exec(status)?.[1] ?? '?' };
}

let writes = 0;
/** Healed: no rule of ours, no stopped process, a healthy cluster, a write through every node read back through every node. */
async function expectHealed(info: DockerClusterInfo): Promise<void> {
  const states = await Promise.all(info.nodes.map((n) => nodeState(info, n)));
  states.forEach((s, i) => {
    expect(s.rules, `rules left on ${info.nodes[i]}`).toEqual([]);
    expect(s.state, `etcd state on ${info.nodes[i]}`).not.toBe('T');
  });
  await db.waitHealthy(info.docker, 20_000);
  const keys = await Promise.all(
    info.nodes.map(async (n) => {
      const key = `w${writes++}`;
      await waitFor(`a write through ${n}`, () => put(info.urls[n], key, n, 2000).then(() => true), 10_000);
      return [key, n] as const;
    }),
  );
  const reads = info.nodes.flatMap((reader) => keys.map(async ([key, value]) => [(await get(info.urls[reader], key, { timeoutMs: 2000 }))?.value, value]));
  for (const [seen, written] of await Promise.all(reads)) expect(seen).toBe(written);
}

describe('nemeses on etcd', () => {
  it('every partition, loss, kill and pause variant is applied, then healed: all nodes reach each other again', async () => {
    const info = await freshCluster();
    const choices = resolveNemeses(['partition', 'loss', 'kill', 'pause']);
    const nem = new FaultNemesis(choices);
    await nem.setup(info);
    for (const [i, c] of choices.entries()) {
      const started = await fault(nem, info, `start-${c.kind}`, { variant: c.variant, seed: i, probability: c.kind === 'loss' ? 0.5 : undefined });
      expect(started.type, `${c.kind}-${c.variant}: ${started.error}`).toBe('ok');
      const v = started.value as FaultValue;
      expect(v.fault).toBe(c.kind);
      expect(v.nodes.length, `${c.kind}-${c.variant} hit nodes`).toBeGreaterThan(0);
      // The fault is really there.
      const states = await Promise.all(v.nodes.map((n) => nodeState(info, n)));
      if (c.kind === 'pause') for (const s of states) expect(s.state).toBe('T');
      if (c.kind === 'kill') for (const n of v.nodes) expect(await info.docker.isRunning(n, 'etcd')).toBe(false);
      if (c.kind === 'partition' || c.kind === 'loss') expect(states.some((s) => s.rules.length > 0)).toBe(true);
      if (c.kind === 'loss') expect(states.flatMap((s) => s.rules).join('\n')).toContain('--probability 0.5');

      const stopped = await fault(nem, info, `stop-${c.kind}`);
      expect(stopped.type).toBe('ok');
      expect((stopped.value as FaultValue).nodes).toEqual(c.kind === 'partition' || c.kind === 'loss' ? v.nodes : [...v.nodes].sort());
      await expectHealed(info);
    }
  });

  it('healAll heals a pile of simultaneous faults, and is safe to repeat', async () => {
    const info = await freshCluster();
    const nem = new FaultNemesis(resolveNemeses(['partition', 'loss', 'kill', 'pause']));
    await nem.setup(info);
    expect((await fault(nem, info, 'start-partition', { variant: 'ring', seed: 1 })).type).toBe('ok');
    expect((await fault(nem, info, 'start-loss', { variant: 'all', seed: 1, probability: 0.3 })).type).toBe('ok');
    expect((await fault(nem, info, 'start-pause', { variant: 'one', seed: 1 })).type).toBe('ok');
    expect((await fault(nem, info, 'start-kill', { variant: 'one', seed: 2 })).type).toBe('ok');
    // etcd ignores the clock file, but healAll must still reset it.
    writeClockControl(info.docker.node('n2').hostDir, clockControl(5000));
    // A fresh nemesis remembers nothing: healAll must still find every fault.
    const amnesiac = new FaultNemesis(resolveNemeses(['kill']));
    await amnesiac.healAll(info);
    await amnesiac.healAll(info);
    expect(await info.docker.readFile('n2', `/faultline/${CLOCK_FILE}`)).toBe(clockControl(0));
    await expectHealed(info);
  });

  it('isolating the leader cuts it off: writes through it fail while the majority elects a new leader', async () => {
    const info = await freshCluster();
    const nem = new FaultNemesis(resolveNemeses(['partition-leader']));
    await nem.setup(info);
    const oldLeader = (await db.leader(info.docker))!;
    const started = await fault(nem, info, 'start-partition', { variant: 'leader', seed: 1 });
    expect(started.type).toBe('ok');
    const v = started.value as FaultValue;
    const others = info.nodes.filter((n) => n !== oldLeader);
    expect((v.grudge as Record<string, string[]>)[oldLeader].sort()).toEqual(others); // it hears nobody
    const newLeader = await waitFor('a leader in the majority', async () => {
      const s = await Promise.all(others.map((n) => get(info.urls[n], 'x', { timeoutMs: 1000 }).then(() => n, () => undefined)));
      const l = await db.leader(info.docker);
      return s.every(Boolean) && l && l !== oldLeader ? l : undefined;
    }, 15_000);
    expect(others).toContain(newLeader);
    await put(info.urls[newLeader], 'majority', 'yes', 2000);
    // The old leader cannot commit anything: no quorum on its side.
    await expect(put(info.urls[oldLeader], 'isolated', 'no', 1500)).rejects.toThrow();
    await expect(get(info.urls[oldLeader], 'majority', { timeoutMs: 1500 })).rejects.toThrow();

    expect((await fault(nem, info, 'stop-partition')).type).toBe('ok');
    await expectHealed(info);
    expect((await get(info.urls[oldLeader], 'majority', { timeoutMs: 2000 }))?.value).toBe('yes');
  });

  it('a one-way partition drops on the receivers only: the sender keeps hearing everyone', async () => {
    const info = await freshCluster();
    const nem = new FaultNemesis(resolveNemeses(['partition-one-way']));
    await nem.setup(info);
    const started = await fault(nem, info, 'start-partition', { variant: 'one-way', seed: 5 });
    expect(started.type).toBe('ok');
    const grudge = (started.value as FaultValue).grudge as Record<string, string[]>;
    const receivers = Object.keys(grudge).sort();
    const [sender] = info.nodes.filter((n) => !receivers.includes(n));
    expect(receivers).toEqual(info.nodes.filter((n) => n !== sender));
    expect((started.value as FaultValue).description).toContain(`${sender} -x-> `);
    const senderIp = info.docker.node(sender).ip;
    expect((await nodeState(info, sender)).rules).toEqual([]);
    for (const r of receivers) {
      const rules = (await nodeState(info, r)).rules.filter((l) => l.includes('DROP'));
      expect(rules).toEqual([`-A faultline-partition -s ${senderIp}/32 -m comment --comment faultline -j DROP`]);
    }
    expect((await fault(nem, info, 'stop-partition')).type).toBe('ok');
    await expectHealed(info);
  });
});
