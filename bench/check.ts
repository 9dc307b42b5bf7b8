// npm run bench:check: median check time (parsing excluded) and memory of the
// linearizability checker over Porcupine's etcd and kv histories, next to
// Porcupine's own figures measured on this machine kind; then long generated
// single-register histories (130k ops / 5 processes, 1M ops / 10 processes),
// each checked once in a child process of its own so its peak memory is its own.
//   tsx bench/check.ts [--runs N] [--filter substring] [--json] [--no-generated]
import { checkLinearizability } from '../checkers/linearizability/index.ts';
import { casRegisterModel } from '../checkers/models/index.ts';
import { readHistoryFile } from '../history/formats/index.ts';
import { etcdCases, kvCases, type CorpusCase } from '../testkit/corpus.ts';
import { casRegisterWorkload, generateHistory } from '../testkit/linearizability-histories.ts';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const GENERATED_CASE = opt('generated-case');
if (GENERATED_CASE) {
  runGeneratedCase(GENERATED_CASE);
  process.exit(0);
}
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

interface GeneratedRow {
  name: string;
  historyOps: number;
  checkedOps: number;
  verdict: string;
  checkMs: number;
  cpuMs: number;
  searchMB: number;
  configurations: number;
  /** Resident memory when the check starts (the history in memory, generation garbage collected). */
  rssBeforeMB: number;
  /** Peak resident memory during the check (Linux: the high-water mark is reset first), or null where it cannot be reset. */
  peakDuringCheckMB: number | null;
}

/** Linux /proc/self/status field in MB (VmRSS, VmHWM), or null elsewhere. */
function procStatusMB(field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Reset the peak-RSS mark (Linux: writing 5 to clear_refs), so VmHWM then measures what follows. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Long single-register histories, as a fast in-memory DB produces (cas values 0-3, so many cas fail). */
const GENERATED = [
  { ops: 130_000, processes: 5 },
  { ops: 1_000_000, processes: 10 },
];
function caseName(c: { ops: number; processes: number }): string {
  return `generated ${c.ops / 1000}k ops, ${c.processes} processes`;
}

/** In the child: generate, check once, print one JSON row. */
function runGeneratedCase(spec: string): void {
  const [ops, processes] = spec.split(':').map(Number);
  const history = generateHistory(casRegisterWorkload, 7, { ops, processes });
  (globalThis as { gc?: () => void }).gc?.();
  const reset = resetPeakRss();
  const rssBefore = procStatusMB('VmRSS') ?? process.memoryUsage().rss / 2 ** 20;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = checkLinearizability(history, casRegisterModel({ nilRead: 'absent' }));
  const checkMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const p = r.details.partitions[0];
  const row: GeneratedRow = {
    name: caseName({ ops, processes }),
    historyOps: ops,
    checkedOps: r.details.opCount,
    verdict: String(r.valid),
    checkMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    searchMB: p.progress.memoryBytes / 2 ** 20,
    configurations: p.progress.configurations,
    rssBeforeMB: rssBefore,
    peakDuringCheckMB: reset ? procStatusMB('VmHWM') : null,
  };
  console.log(JSON.stringify(row));
}

function benchGenerated(): GeneratedRow[] {
  const self = fileURLToPath(import.meta.url);
  return GENERATED.filter((c) => !FILTER || caseName(c).includes(FILTER)).map((c) => {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--generated-case', `${c.ops}:${c.processes}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) throw new Error(`${caseName(c)} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
    return JSON.parse(line) as GeneratedRow;
  });
}

function printGenerated(rows: GeneratedRow[]): void {
  if (JSON_OUT || rows.length === 0) return;
  console.log('\n== generated single-register histories (cas-register, checked once each, in a child process)');
  console.log('case                                checked ops  verdict  check ms    cpu ms  configurations  search MB  RSS before check MB  peak RSS during check MB');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(35)} ${String(r.checkedOps).padStart(11)}  ${r.verdict.padEnd(7)} ${r.checkMs.toFixed(0).padStart(9)} ${r.cpuMs.toFixed(0).padStart(9)} ${String(r.configurations).padStart(15)} ${r.searchMB.toFixed(1).padStart(10)} ${r.rssBeforeMB.toFixed(0).padStart(20)} ${(r.peakDuringCheckMB === null ? 'n/a' : r.peakDuringCheckMB.toFixed(0)).padStart(25)}`,
    );
  }
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
const generated = args.includes('--no-generated') ? [] : benchGenerated();
printGenerated(generated);
if (JSON_OUT) console.log(JSON.stringify({ etcd, kv, kvWhole, generated, totals, porcupine: PORCUPINE_TOTAL, peakRssMB }, null, 2));
else {
  const under1 = etcd.filter((r) => r.medianMs < 1).length;
  console.log(`\netcd files under 1 ms: ${under1}/${etcd.length}`);
  console.log(`peak RSS of this process: ${peakRssMB.toFixed(0)} MB; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times suffer under load; CPU times less)`);
}
