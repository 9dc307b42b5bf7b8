// Clock faults end to end in containers: a small Node server (a stand-in for
// a DB that runs under libfaketime, as raftkv will) reports its wall clock;
// the clock nemesis bumps, strobes and skews it through the control file in
// the node folder, and stop-clock / healAll bring it back. Each fault reads
// the clock back itself (db.nodeReport) and records that it took effect.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import { toolboxSpec } from '../../clusters/docker/toolbox.ts';
import type { DB } from '../../clusters/db.ts';
import { clusterInfo, type DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { FaultValue } from '../../history/op.ts';
import { faketimeEnv } from '../../clusters/faketime.ts';
import { FaultNemesis, resolveNemeses, type FaultSpec } from '../../nemeses/index.ts';
import { leftovers, waitFor } from '../support/docker.ts';

const PORT = 8080;
// Answers with its own Date.now(): the clock a DB under libfaketime would see.
const SERVER = `require("http").createServer((q, s) => s.end(String(Date.now()))).listen(${PORT}, "0.0.0.0")`;

const clockProbe: DB = {
  name: 'clockprobe',
  supportsClockFaults: true,
  image: () => {
    const t = toolboxSpec();
    return { ...t, name: 'clockprobe', files: [...t.files, { from: '/usr/bin/node', elf: true }] };
  },
  version: async () => process.version,
  start: (c, node) => c.startProcess(node, 'clockprobe', ['/usr/bin/node', '-e', SERVER], faketimeEnv()),
  async waitHealthy(c, timeoutMs) {
    await Promise.all(c.nodes.map((n) => waitFor(`clockprobe on ${n.name}`, () => offsetMs(this.clientUrl(c, n.name)), timeoutMs)));
  },
  leader: async (c) => c.nodes[0]?.name,
  status: async (c) => c.nodes.map((n) => ({ node: n.name, ip: n.ip, up: true, leader: false })),
  clientUrl: (c, node) => `http://${c.node(node).ip}:${PORT}`,
  // Its own clock, as raftkv's /admin/status reports it: what the clock faults read back as evidence.
  nodeReport: async (c, node) => ({ clockMs: Number(await (await fetch(`http://${c.node(node).ip}:${PORT}`, { signal: AbortSignal.timeout(2000) })).text()) }),
};

/** The node's clock minus ours, ms (ours read halfway through the request). */
async function offsetMs(url: string): Promise<number> {
  const t0 = Date.now();
  const theirs = Number(await (await fetch(url, { signal: AbortSignal.timeout(2000) })).text());
  return theirs - (t0 + Date.now()) / 2;
}

let running: RunningCluster | undefined;
beforeAll(async () => {
  await ensureEnvironment();
});
afterEach(async () => {
  if (!running) return;
  const r = running;
  running = undefined;
  await r.teardown();
  expect(await leftovers(r.cluster.runId)).toEqual({ containers: 0, networks: 0 });
});
afterAll(async () => running && (await running.teardown()));

async function freshCluster(): Promise<DockerClusterInfo> {
  const runId = makeRunId();
  running = await startCluster({ db: clockProbe, nodeCount: 3, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
  const docker = running.cluster;
  return clusterInfo(docker, clockProbe);
}

const op = (f: string, value: FaultSpec | null = null) => ({ index: 0, time: 0, process: 'nemesis' as const, type: 'invoke' as const, f, value });
const offsets = async (info: DockerClusterInfo) => Object.fromEntries(await Promise.all(info.nodes.map(async (n) => [n, await offsetMs(info.urls[n])] as const)));
// Slack for a loaded 2-core machine: a request can sit in a queue for a while.
const NEAR = 400;

describe('clock nemesis under libfaketime', () => {
  it('bump, strobe and skew move the clock of the nodes hit only; stop-clock and healAll reset it', async () => {
    const info = await freshCluster();
    const nem = new FaultNemesis(resolveNemeses(['clock']));
    await nem.setup(info);
    for (const o of Object.values(await offsets(info))) expect(Math.abs(o)).toBeLessThan(NEAR);

    // Bump: +10 s on the nodes hit, the others untouched.
    const bump = await nem.invoke(op('start-clock', { variant: 'bump', seed: 4, deltaMs: 10_000 }), info);
    const hit = (bump.value as FaultValue).nodes;
    expect((bump.value as FaultValue).effect, (bump.value as FaultValue).evidence?.summary).toBe('took-effect');
    expect((bump.value as FaultValue).evidence?.summary).toMatch(/off by (9\d\d\d|10\d\d\d) ± \d+ ms/);
    expect(hit.length).toBeGreaterThan(0);
    for (const [n, o] of Object.entries(await offsets(info))) {
      if (hit.includes(n)) expect(Math.abs(o - 10_000)).toBeLessThan(NEAR);
      else expect(Math.abs(o)).toBeLessThan(NEAR);
    }
    const reset = await nem.invoke(op('stop-clock'), info);
    expect((reset.value as FaultValue).effect, (reset.value as FaultValue).evidence?.summary).toBe('took-effect');
    for (const o of Object.values(await offsets(info))) expect(Math.abs(o)).toBeLessThan(NEAR);

    // Strobe: the clock flips between +0 and -5 s every 100 ms.
    const strobe = await nem.invoke(op('start-clock', { variant: 'strobe', seed: 1, deltaMs: -5000, periodMs: 100 }), info);
    const strobed = (strobe.value as FaultValue).nodes[0];
    expect((strobe.value as FaultValue).effect, (strobe.value as FaultValue).evidence?.summary).toBe('took-effect');
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      seen.push(await offsetMs(info.urls[strobed]));
      await new Promise((r) => setTimeout(r, 37));
    }
    expect(seen.some((o) => Math.abs(o) < NEAR)).toBe(true);
    expect(seen.some((o) => Math.abs(o + 5000) < NEAR)).toBe(true);
    await nem.invoke(op('stop-clock'), info);
    const after = [];
    for (let i = 0; i < 5; i++) after.push(await offsetMs(info.urls[strobed]));
    for (const o of after) expect(Math.abs(o)).toBeLessThan(NEAR);

    // Skew: x2 from now on, no jump at the switch.
    const skew = await nem.invoke(op('start-clock', { variant: 'skew', seed: 2, rate: 2 }), info);
    const skewed = (skew.value as FaultValue).nodes[0];
    expect((skew.value as FaultValue).effect, (skew.value as FaultValue).evidence?.summary).toBe('took-effect');
    expect((skew.value as FaultValue).evidence?.summary).toMatch(/drifted \d+ ms \(expected \d+\)/);
    // No jump at the switch: the fault's own first reading, right after it wrote the rate, is near zero.
    const atStart = ((skew.value as FaultValue).evidence?.nodes as Record<string, { offsetAtStartMs: number }>)[skewed].offsetAtStartMs;
    expect(Math.abs(atStart)).toBeLessThan(NEAR);
    const first = await offsetMs(info.urls[skewed]);
    await new Promise((r) => setTimeout(r, 2000));
    const gained = (await offsetMs(info.urls[skewed])) - first;
    expect(gained).toBeGreaterThan(2000 - NEAR);
    expect(gained).toBeLessThan(2000 + NEAR);

    // healAll, from a nemesis that remembers nothing, resets every clock (and reads them back).
    const healed = await new FaultNemesis(resolveNemeses(['kill'])).healAll(info);
    expect(healed.effect, healed.evidence?.summary).toBe('took-effect');
    expect(healed.evidence?.clocks).toMatchObject({ summary: expect.stringMatching(/^n1: off by -?\d+ ± \d+ ms/) });
    for (const o of Object.values(await offsets(info))) expect(Math.abs(o)).toBeLessThan(NEAR);
  });
});
