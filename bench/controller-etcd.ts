// The controller against a real 3-node etcd, 10 workers, no rate limit:
// ops/s through faultline, and the same clients driven by a bare loop with
// no harness at all (the etcd-side limit). If the two are close, etcd, not
// the controller, is the bottleneck; the scheduling overhead shows it too.
//
//   npm run bench:controller:etcd [-- --seconds 10 --rounds 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { startCluster } from '../clusters/start.ts';
import { makeRunId } from '../clusters/run-id.ts';
import { Random } from '../generator/index.ts';
import { etcdSystem } from '../harness/systems/etcd.ts';
import { readHistory } from '../history/index.ts';
import { runTest } from '../harness/run/index.ts';
import type { Op } from '../history/op.ts';
import { EtcdRegisterClient, registerGenerator } from '../workloads/register/index.ts';
import { throughputStats } from './lib/history-stats.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' } },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);
const nodes = ['n1', 'n2', 'n3'];
await ensureEnvironment();
const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));

// Rounds alternate (bare, controller, controller, bare, ...) so that warm-up
// and a busy neighbour weigh on both sides alike; each round has a fresh cluster.

/** One round through the controller: ops/s of the main phase, overhead, latency. */
async function throughController(seed: number) {
  const test = etcdSystem.test(
    { workload: 'register', nemesis: 'none', concurrency, timeLimit: seconds, opTimeout: 2000, readMode: 'linearizable' },
    nodes,
    seed,
  );
  const cpu0 = process.cpuUsage();
  const out = await runTest(test, { store, status: 'off', handleSignals: false });
  const cpu = process.cpuUsage(cpu0);
  return { ...throughputStats(readHistory(path.join(out.dir, 'history.jsonl')), concurrency, seconds), cpuS: (cpu.user + cpu.system) / 1e6, valid: out.results.valid };
}

/** One round of the same client and generator in a bare loop: no scheduler, no history, no checker. */
async function bareLoop(seed: number): Promise<number> {
  const db = etcdDb();
  const runId = makeRunId();
  const running = await startCluster({ db, nodeCount: 3, runId, runDir: path.join(store, runId) });
  const urls = Object.fromEntries(nodes.map((n) => [n, db.clientUrl(running.cluster, n)]));
  let ops = 0;
  try {
    const gen = registerGenerator();
    const random = new Random(seed);
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        const client = new EtcdRegisterClient({ urls, timeoutMs: 2000, readMode: 'linearizable' });
        await client.open(nodes[w % nodes.length]);
        while (performance.now() < deadline) {
          const next = gen.next({ time: 0, worker: w, workers: [], busy: 0, random });
          if (next.kind !== 'op') break;
          await client.invoke({ index: 0, time: 0, process: w, type: 'invoke', ...next.op } as Op);
          ops++;
        }
      }),
    );
  } finally {
    await running.teardown();
  }
  return Math.round(ops / seconds);
}

const harnessRounds: Awaited<ReturnType<typeof throughController>>[] = [];
const bareRounds: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    // bare first in even rounds, the controller first in odd ones
    const order = r % 2 === 0 ? ['bare', 'controller'] : ['controller', 'bare'];
    for (const which of order) {
      if (which === 'bare') bareRounds.push(await bareLoop(r + 1));
      else harnessRounds.push(await throughController(r + 1));
      console.error(`round ${r + 1} ${which}: ${which === 'bare' ? bareRounds.at(-1) : harnessRounds.at(-1)!.opsPerSec} ops/s`);
    }
  }
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const harnessRate = median(harnessRounds.map((h) => h.opsPerSec));
const bareRate = median(bareRounds);
const mid = harnessRounds[0];

console.log(`controller vs etcd: 3 etcd nodes, ${concurrency} workers, no rate limit, ${seconds} s main phase, register workload, median of ${rounds} rounds each`);
console.log(`  through faultline     ${harnessRate.toLocaleString('en-US')} ops/s (rounds: ${harnessRounds.map((h) => h.opsPerSec).join(', ')}), latency p50 ${mid.latencyMs.p50.toFixed(1)} ms p99 ${mid.latencyMs.p99.toFixed(1)} ms`);
console.log(`  bare client loop      ${bareRate.toLocaleString('en-US')} ops/s (rounds: ${bareRounds.join(', ')}; the etcd-side limit on this machine)`);
console.log(`  ratio                 ${(harnessRate / bareRate).toFixed(2)}`);
console.log(`  scheduling overhead   p50 ${median(harnessRounds.map((h) => h.overheadUs.p50)).toFixed(0)} µs  p99 ${median(harnessRounds.map((h) => h.overheadUs.p99)).toFixed(0)} µs (time a worker waits on the controller between ops)`);
console.log(`  controller CPU        ${median(harnessRounds.map((h) => h.cpuS)).toFixed(2)} s a round (setup, run, check, teardown); verdicts ${harnessRounds.map((h) => String(h.valid)).join(', ')}`);
