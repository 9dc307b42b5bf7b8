// What the lose-unsynced filesystem (disk/lazyfs.py, FUSE) costs.
//  1. Raw: 4 KiB appends for --seconds each, with an fdatasync after every
//     append and without, on a plain folder and on a lazyfs mount.
//  2. End to end: raftkv and etcd (3 nodes, the register workload through
//     the run loop, no faults, no rate limit) on their usual container
//     layer and with every node's data on lazyfs.
//
//   npm run bench:disk [-- --seconds 5 --concurrency 10]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import type { DockerClusterInfo, DockerDbCluster } from '../clusters/docker-db-cluster.ts';
import { lazyFsUnavailable, mountLazyFs, unmountLazyFs } from '../disk/index.ts';
import { etcdSystem } from '../harness/systems/etcd.ts';
import { raftkvSystem } from '../harness/systems/raftkv.ts';
import { runTest } from '../harness/run/index.ts';
import type { TestDefinition } from '../harness/test-definition.ts';
import { readHistory } from '../history/index.ts';
import { throughputStats } from './lib/history-stats.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '10' } } });
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
if (!(seconds > 0) || !(concurrency > 0)) throw new Error('--seconds and --concurrency must be positive numbers');
const why = await lazyFsUnavailable();
if (why) throw new Error(`bench:disk needs FUSE: ${why}`);

/** Appends per second of a 4 KiB record into `dir`/bench.log, fdatasync after each when `sync`. */
function appendRate(dir: string, sync: boolean, ms: number): number {
  const file = path.join(dir, `bench-${sync ? 'sync' : 'nosync'}.log`);
  const fd = fs.openSync(file, 'a');
  const record = Buffer.alloc(4096, 'x');
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    fs.writeSync(fd, record);
    if (sync) fs.fdatasyncSync(fd);
    n++;
  }
  fs.closeSync(fd);
  fs.rmSync(file);
  return Math.round(n / (ms / 1000));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-disk-'));
const rawMs = Math.min(seconds, 3) * 1000;
const raw: Array<[string, number, number]> = [];
try {
  const plain = path.join(tmp, 'plain');
  fs.mkdirSync(plain);
  raw.push(['plain folder', appendRate(plain, false, rawMs), appendRate(plain, true, rawMs)]);
  const m = await mountLazyFs(path.join(tmp, 'backing'), path.join(tmp, 'mnt'), path.join(tmp, 'control.sock'));
  try {
    raw.push(['lazyfs mount', appendRate(m.mountpoint, false, rawMs), appendRate(m.mountpoint, true, rawMs)]);
  } finally {
    await unmountLazyFs(m);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`raw: 4 KiB appends per second (${rawMs / 1000} s each, ${os.tmpdir()})`);
console.log('where            no fsync   fdatasync each');
for (const [where, nosync, sync] of raw) console.log(`${where.padEnd(15)} ${String(nosync).padStart(9)} ${String(sync).padStart(16)}`);

await ensureEnvironment();
const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));
const nodes = ['n1', 'n2', 'n3'];
const common = { workload: 'register', nemesis: 'none', concurrency, timeLimit: seconds, opTimeout: 2000 };
const lazy = (t: TestDefinition<DockerClusterInfo>): TestDefinition<DockerClusterInfo> => ({ ...t, db: (t.db as DockerDbCluster).withLazyDisks() });
const tests: Array<[string, TestDefinition<DockerClusterInfo>]> = [
  ['raftkv', raftkvSystem.test(common, nodes, 1)],
  ['raftkv on lazyfs', lazy(raftkvSystem.test(common, nodes, 1))],
  ['etcd', etcdSystem.test({ ...common, readMode: 'linearizable' }, nodes, 1)],
  ['etcd on lazyfs', lazy(etcdSystem.test({ ...common, readMode: 'linearizable' }, nodes, 1))],
];
const rows = [];
try {
  for (const [name, test] of tests) {
    console.error(`bench:disk: ${name} ...`);
    const out = await runTest(test, { store, status: 'off', handleSignals: false });
    const history = readHistory(path.join(out.dir, 'history.jsonl')).filter((o) => o.f !== 'state-hash');
    rows.push({ name, ...throughputStats(history, concurrency, seconds), valid: out.results.valid });
  }
} finally {
  fs.rmSync(store, { recursive: true, force: true });
}
console.log(`\nend to end: 3 nodes, register workload, ${concurrency} workers, no rate limit, ${seconds} s, no faults`);
console.log('db                  ops/s   p50 ms   p99 ms   verdict');
for (const r of rows) console.log(`${r.name.padEnd(18)} ${String(r.opsPerSec).padStart(6)} ${r.latencyMs.p50.toFixed(1).padStart(8)} ${r.latencyMs.p99.toFixed(1).padStart(8)}   ${String(r.valid)}`);
