// npm run bench:raftkv: the Raft KV server as the harness will see it: three
// bundled server processes on loopback (fsync on, real HTTP), C concurrent
// clients for D seconds per operation kind; then the time from SIGKILL of
// the leader until a write succeeds again.
//   tsx bench/raftkv.ts [--clients C] [--seconds D] [--json]
import { performance } from 'node:perf_hooks';
import { LocalCluster, sleep } from '../clusters/raftkv/local-cluster.ts';
import type { Outcome } from '../raftkv/api.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CLIENTS = opt('clients', 8);
const SECONDS = opt('seconds', 5);
const JSON_OUT = args.includes('--json');

interface Row { workload: string; ops: number; okRate: number; opsPerSec: number; p50ms: number; p99ms: number }

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function load(cluster: LocalCluster, workload: string, op: (client: number, i: number) => [string, object]): Promise<Row> {
  const latencies: number[] = [];
  let ok = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const [name, body] = op(client, i);
        const t0 = performance.now();
        const out: Outcome = await cluster.request(name, body);
        latencies.push(performance.now() - t0);
        if (out.ok) ok++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    workload,
    ops: latencies.length,
    okRate: ok / latencies.length,
    opsPerSec: Math.round(latencies.length / SECONDS),
    p50ms: +pct(latencies, 0.5).toFixed(2),
    p99ms: +pct(latencies, 0.99).toFixed(2),
  };
}

const t0 = performance.now();
const cluster = await LocalCluster.create(3);
const bundleMs = Math.round(performance.now() - t0);
try {
  await cluster.startAll();
  await cluster.leader();
  const rows = [
    await load(cluster, 'put', (c, i) => ['put', { key: `k${c}-${i % 50}`, value: i }]),
    await load(cluster, 'get (ReadIndex)', (c, i) => ['get', { key: `k${c}-${i % 50}` }]),
    await load(cluster, 'txn (2 appends + read)', (c, i) => ['txn', { ops: [['append', `l${i % 20}`, `${c}-${i}`], ['append', `l${(i + 1) % 20}`, `${c}-${i}`], ['r', `l${i % 20}`, null]] }]),
  ];
  const leader = await cluster.leader();
  const killedAt = performance.now();
  await cluster.kill(leader);
  let failoverMs = NaN;
  for (let i = 0; performance.now() - killedAt < 20_000; i++) {
    const out = await cluster.request('put', { key: 'after-failover', value: i, timeoutMs: 500 }).catch(() => undefined);
    if (out?.ok) {
      failoverMs = Math.round(performance.now() - killedAt);
      break;
    }
    await sleep(10);
  }
  if (JSON_OUT) {
    console.log(JSON.stringify({ clients: CLIENTS, seconds: SECONDS, bundleMs, rows, failoverMs }, null, 2));
  } else {
    console.log(`raftkv bench: 3 local processes, ${CLIENTS} clients, ${SECONDS}s per workload (bundle built in ${bundleMs} ms)`);
    console.log('workload                   ops/s   p50 ms   p99 ms   ok');
    for (const r of rows) {
      console.log(`${r.workload.padEnd(25)} ${String(r.opsPerSec).padStart(6)} ${r.p50ms.toFixed(2).padStart(8)} ${r.p99ms.toFixed(2).padStart(8)}   ${(r.okRate * 100).toFixed(1)}%`);
    }
    console.log(`leader SIGKILL -> next acknowledged write: ${failoverMs} ms (election timeout 300-600 ms)`);
  }
} finally {
  await cluster.stopAll();
}
