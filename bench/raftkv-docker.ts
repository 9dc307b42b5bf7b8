// raftkv vs etcd in containers, as `faultline test` sees them: 3 nodes each,
// the register workload through the run loop, no faults, no rate limit, the
// same worker count, one DB after the other in the same process. ops/s
// counts every completion (ok + fail + info) of the main phase; ok% says how
// many were acknowledged.
//
//   npm run bench:raftkv:docker [-- --seconds 10 --concurrency 10 --workload register] [--bug NAME]
// (--bug runs raftkv with a seeded bug, e.g. no-fsync to see what fsync costs)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdSystem } from '../harness/systems/etcd.ts';
import { raftkvSystem } from '../harness/systems/raftkv.ts';
import { readHistory } from '../history/index.ts';
import { runTest } from '../harness/run/index.ts';
import type { TestDefinition } from '../harness/test-definition.ts';
import type { DockerClusterInfo } from '../clusters/docker-db-cluster.ts';
import { throughputStats } from './lib/history-stats.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '10' }, workload: { type: 'string', default: 'register' }, bug: { type: 'string', multiple: true, default: [] } },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const workload = args.workload!;
const nodes = ['n1', 'n2', 'n3'];
await ensureEnvironment();
const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));

const common = { workload, nemesis: 'none', concurrency, timeLimit: seconds, opTimeout: 2000 };
const tests: Array<[string, TestDefinition<DockerClusterInfo>]> = [
  ['etcd', etcdSystem.test({ ...common, readMode: 'linearizable' }, nodes, 1)],
  [['raftkv', ...args.bug!].join(' --bug '), raftkvSystem.test({ ...common, bug: args.bug }, nodes, 1)],
];

const rows = [];
try {
  for (const [name, test] of tests) {
    const out = await runTest(test, { store, status: 'off', handleSignals: false });
    // Main phase only: the final state-hash ops are not client load.
    const history = readHistory(path.join(out.dir, 'history.jsonl')).filter((o) => o.f !== 'state-hash');
    const stats = throughputStats(history, concurrency, seconds);
    const completions = history.filter((o) => o.process !== 'nemesis' && o.type !== 'invoke');
    const ok = completions.filter((o) => o.type === 'ok').length / completions.length;
    rows.push({ name, ...stats, ok, valid: out.results.valid });
  }
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}

console.log(`raftkv vs etcd in Docker: 3 nodes each, ${workload} workload through faultline, ${concurrency} workers, no rate limit, ${seconds} s, no faults`);
console.log('db                 ops/s    ok%   p50 ms   p99 ms   verdict');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(17)} ${String(r.opsPerSec).padStart(6)} ${(r.ok * 100).toFixed(1).padStart(6)} ${r.latencyMs.p50.toFixed(1).padStart(8)} ${r.latencyMs.p99.toFixed(1).padStart(8)}   ${String(r.valid)}`,
  );
}
