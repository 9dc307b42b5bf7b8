// Controller throughput and scheduling overhead against the in-memory DB:
// 10 workers (default), no rate limit, no faults. Scheduling overhead is the
// time from a worker's completion being recorded to its next invoke being
// recorded (generator + bookkeeping + history append), read back from
// history.jsonl.
//
//   npm run bench:controller [-- --seconds 5 --concurrency 10 --json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readHistory } from '../history/index.ts';
import { runTest } from '../harness/run/index.ts';
import { checkerFromSpec } from '../checkers/registry.ts';
import { MemoryCluster, memoryTest, registerWorkload } from '../harness/systems/memory.ts';
import { throughputStats } from './lib/history-stats.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);

const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));
const db = new MemoryCluster();
const workload = registerWorkload(db, [checkerFromSpec({ name: 'history' })]);
delete workload.finalGenerator;
const test = memoryTest(db, { name: 'bench-controller', timeLimit: seconds, concurrency, workload });
delete test.rate;

const cpu0 = process.cpuUsage();
const out = await runTest(test, { store, status: 'off', handleSignals: false });
const cpu = process.cpuUsage(cpu0);
const history = readHistory(path.join(out.dir, 'history.jsonl'));
const historyBytes = fs.statSync(path.join(out.dir, 'history.jsonl')).size;
fs.rmSync(store, { recursive: true, force: true });

const stats = throughputStats(history, concurrency);

const result = {
  workers: concurrency,
  seconds,
  ops: stats.ops,
  opsPerSec: stats.opsPerSec,
  overheadUs: stats.overheadUs,
  historyMB: +(historyBytes / 1e6).toFixed(1),
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  verdict: out.results.valid,
};
if (args.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`controller bench: ${concurrency} workers, in-memory DB, no rate limit, ${seconds} s`);
  console.log(`  throughput           ${result.opsPerSec.toLocaleString('en-US')} ops/s (${stats.ops.toLocaleString('en-US')} ops)`);
  console.log(`  scheduling overhead  p50 ${result.overheadUs.p50.toFixed(1)} µs  p99 ${result.overheadUs.p99.toFixed(1)} µs  p99.9 ${result.overheadUs.p999.toFixed(1)} µs  max ${result.overheadUs.max.toFixed(0)} µs`);
  console.log(`  history.jsonl        ${result.historyMB} MB, CPU ${result.cpuSeconds} s, max RSS ${result.maxRssMB} MB, verdict ${String(result.verdict)}`);
}
