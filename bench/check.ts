// npm run bench:check: median check time (parsing excluded) and memory of the
// linearizability checker over Porcupine's etcd and kv histories, next to
// Porcupine's own figures measured on this machine kind.
//   tsx bench/check.ts [--runs N] [--filter substring] [--json]
import { checkLinearizability } from '../checkers/linearizability/index.ts';
import { readHistoryFile } from '../harness/formats/index.ts';
import { etcdCases, kvCases, type CorpusCase } from '../test/linearizability/corpus.ts';
import path from 'node:path';
import os from 'node:os';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(opt('runs') ?? 7);
const FILTER = opt('filter');
const JSON_OUT = args.includes('--json');
/** Without partitioning, c50 never finishes (Porcupine: > 120 s); bound it. */
const UNPARTITIONED_TIMEOUT_MS = Number(opt('unpartitioned-timeout') ?? 20_000);

// Porcupine (Go), median per file on this machine kind (from the issue).
const PORCUPINE_TOTAL = { etcd: 343, kv: 213 };
const PORCUPINE_FILE: Record<string, number> = {
  'etcd_002.log': 157, 'etcd_007.log': 105, 'etcd_057.log': 50,
  'c50-ok.txt': 180, 'c50-bad.txt': 30,
};
const PORCUPINE_UNPARTITIONED: Record<string, string> = { 'c10-ok.txt': '≈2000', 'c10-bad.txt': '≈2000', 'c50-ok.txt': '>120000', 'c50-bad.txt': '>120000' };

interface Row { file: string; verdict: string; expected: boolean; medianMs: number; minMs: number; cpuMs: number; runs: number; memoryMB: number; porcupineMs?: number | string }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function bench(c: CorpusCase, options: { partition: boolean; timeoutMs?: number; runs: number }): Row {
  const history = readHistoryFile(c.file);
  const times: number[] = [];
  const cpu: number[] = [];
  let verdict = '';
  let memory = 0;
  for (let i = 0; i < options.runs; i++) {
    const model = c.model();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = checkLinearizability(history, model, { partition: options.partition, timeoutMs: options.timeoutMs });
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
    verdict = String(r.valid);
    memory = Math.max(memory, r.details.partitions.reduce((a, p) => a + p.progress.memoryBytes, 0));
    // A file that takes seconds needs no seven runs to get a stable median.
    if (times[0] > 2000 && i >= 2) break;
  }
  return { file: path.basename(c.file), verdict, expected: c.expected, medianMs: median(times), minMs: Math.min(...times), cpuMs: median(cpu), runs: times.length, memoryMB: memory / 2 ** 20 };
}

function print(title: string, rows: Row[], porcupineTotal?: number): number {
  const total = rows.reduce((a, r) => a + r.medianMs, 0);
  const totalCpu = rows.reduce((a, r) => a + r.cpuMs, 0);
  const totalMin = rows.reduce((a, r) => a + r.minMs, 0);
  if (!JSON_OUT) {
    console.log(`\n== ${title}`);
    console.log('file              verdict   expected  median ms      min ms  cpu ms (median)  runs  cache MB  porcupine ms');
    for (const r of rows) {
      const wrong = r.verdict === 'unknown' ? '  (no verdict within the timeout)' : r.verdict !== String(r.expected) ? '  <-- WRONG' : '';
      console.log(
        `${r.file.padEnd(17)} ${r.verdict.padEnd(9)} ${String(r.expected).padEnd(8)} ${r.medianMs.toFixed(2).padStart(10)} ${r.minMs.toFixed(2).padStart(11)} ${r.cpuMs.toFixed(2).padStart(16)} ${String(r.runs).padStart(5)} ${r.memoryMB.toFixed(1).padStart(9)}  ${r.porcupineMs ?? ''}${wrong}`,
      );
    }
    const ratio = (x: number) => (porcupineTotal ? `  ratio ${(x / porcupineTotal).toFixed(2)}` : '');
    console.log(`TOTAL sum of medians ${total.toFixed(1)} ms${ratio(total)} | sum of minimums ${totalMin.toFixed(1)} ms${ratio(totalMin)} | sum of CPU medians ${totalCpu.toFixed(1)} ms${ratio(totalCpu)}${porcupineTotal ? `  (porcupine ${porcupineTotal} ms)` : ''}`);
  }
  return total;
}

const pick = (cs: CorpusCase[]) => (FILTER ? cs.filter((c) => c.name.includes(FILTER)) : cs);
const etcd = pick(etcdCases()).map((c) => ({ ...bench(c, { partition: true, runs: RUNS }), porcupineMs: PORCUPINE_FILE[path.basename(c.file)] }));
const kv = pick(kvCases()).map((c) => ({ ...bench(c, { partition: true, runs: RUNS }), porcupineMs: PORCUPINE_FILE[path.basename(c.file)] }));
const kvWhole = pick(kvCases()).map((c) => ({
  ...bench(c, { partition: false, runs: Math.min(RUNS, 3), timeoutMs: UNPARTITIONED_TIMEOUT_MS }),
  porcupineMs: PORCUPINE_UNPARTITIONED[path.basename(c.file)],
}));
const totals = {
  etcd: print('porcupine/etcd (cas-register, nil = absent)', etcd, FILTER ? undefined : PORCUPINE_TOTAL.etcd),
  kv: print('porcupine/kv (partitioned by key)', kv, FILTER ? undefined : PORCUPINE_TOTAL.kv),
  kvWhole: print(`porcupine/kv without partitioning (timeout ${UNPARTITIONED_TIMEOUT_MS} ms)`, kvWhole),
};
const peakRssMB = process.resourceUsage().maxRSS / 1024;
if (JSON_OUT) console.log(JSON.stringify({ etcd, kv, kvWhole, totals, porcupine: PORCUPINE_TOTAL, peakRssMB }, null, 2));
else {
  const under1 = etcd.filter((r) => r.medianMs < 1).length;
  console.log(`\netcd files under 1 ms: ${under1}/${etcd.length}`);
  console.log(`peak RSS of this process: ${peakRssMB.toFixed(0)} MB; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times suffer under load; CPU times less)`);
}
