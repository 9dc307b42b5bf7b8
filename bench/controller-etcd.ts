// The controller against a real 3-node etcd, 10 workers, no rate limit:
// ops/s through faultline, and the same clients driven by a bare loop with
// no harness at all (the etcd-side limit). If the two are close, etcd, not
// the controller, is the bottleneck; the scheduling overhead shows it too.
//
//   npm run bench:controller:etcd [-- --seconds 10]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { startCluster } from '../clusters/start.ts';
import { makeRunId } from '../clusters/run-id.ts';
import { Random } from '../harness/generator/index.ts';
import { etcdTest } from '../harness/etcd-test.ts';
import { readHistory } from '../harness/history/index.ts';
import { runTest } from '../harness/run/index.ts';
import type { Op } from '../harness/op.ts';
import { EtcdRegisterClient, registerGenerator } from '../workloads/register/index.ts';
import { throughputStats } from './lib/history-stats.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '10' } } });
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const nodes = ['n1', 'n2', 'n3'];
await ensureEnvironment();
const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));

// 1. Through the controller.
const test = etcdTest(
  { workload: 'register', nemesis: 'none', concurrency, timeLimit: seconds, opTimeout: 2000, readMode: 'linearizable' },
  nodes,
  1,
);
const cpu0 = process.cpuUsage();
const out = await runTest(test, { store, status: 'off', handleSignals: false });
const cpu = process.cpuUsage(cpu0);
const harness = throughputStats(readHistory(path.join(out.dir, 'history.jsonl')), concurrency);

// 2. The same client and generator in a bare loop: no scheduler, no history, no checker.
const db = etcdDb();
const runId = makeRunId();
const running = await startCluster({ db, nodeCount: 3, runId, runDir: path.join(store, runId) });
const urls = Object.fromEntries(nodes.map((n) => [n, db.clientUrl(running.cluster, n)]));
let bareOps = 0;
try {
  const gen = registerGenerator();
  const random = new Random(1);
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const client = new EtcdRegisterClient({ urls, timeoutMs: 2000, readMode: 'linearizable' });
      await client.open(nodes[w % nodes.length]);
      while (performance.now() < deadline) {
        const next = gen.next({ time: 0, worker: w, workers: [], busy: 0, random });
        if (next.kind !== 'op') break;
        await client.invoke({ index: 0, time: 0, process: w, type: 'invoke', ...next.op } as Op);
        bareOps++;
      }
    }),
  );
} finally {
  await running.teardown();
  fs.rmSync(store, { recursive: true, force: true });
}
const bareRate = Math.round(bareOps / seconds);

console.log(`controller vs etcd: 3 etcd nodes, ${concurrency} workers, no rate limit, ${seconds} s, register workload`);
console.log(`  through faultline     ${harness.opsPerSec.toLocaleString('en-US')} ops/s (${harness.ops} ops), latency p50 ${harness.latencyMs.p50.toFixed(1)} ms p99 ${harness.latencyMs.p99.toFixed(1)} ms`);
console.log(`  bare client loop      ${bareRate.toLocaleString('en-US')} ops/s (the etcd-side limit on this machine)`);
console.log(`  ratio                 ${(harness.opsPerSec / bareRate).toFixed(2)}`);
console.log(`  scheduling overhead   p50 ${harness.overheadUs.p50.toFixed(0)} µs  p99 ${harness.overheadUs.p99.toFixed(0)} µs (time a worker waits on the controller between ops)`);
console.log(`  controller CPU        ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s for the whole run (setup, run, check, teardown); verdict ${String(out.results.valid)}`);
