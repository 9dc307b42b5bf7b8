// npm run bench:elle: time and peak memory of the elle checker on Elle's
// huge-scc.edn and on generated list-append histories (10 processes, 1-5
// micro-ops per transaction, strict serializability: every edge kind).
// Each case runs in its own child process so its peak RSS is its own, with a
// larger young generation (--max-semi-space-size=64): the checker allocates
// many short-lived objects next to a large, long-lived history.
// The machine is shared, so each case runs --runs times (1M: once) and the
// table shows the best and the median check time.
//   tsx bench/elle.ts [--sizes 100000,1000000] [--runs 3] [--json]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkElle, opsFromEdn } from '../checkers/elle/index.ts';
import type { ElleDetails } from '../checkers/elle/index.ts';
import { parseEdnAll } from '../history/formats/edn.ts';
import { simulate } from '../testkit/elle-sim.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const self = fileURLToPath(import.meta.url);
const corpus = path.resolve(path.dirname(self), '../../shared/corpus');

interface Row {
  case: string;
  txns: number;
  runs: number;
  bestMs: number;
  medianMs: number;
  txnsPerSecond: number;
  /** CPU time (user + system, all threads) of the best run: less sensitive to a busy machine. */
  cpuMs: number;
  txnsPerCpuSecond: number;
  peakRssMB: number;
  valid: unknown;
  anomalies: string;
  edges: number;
}

function runCase(name: string): Row {
  let ops;
  let models: string[];
  if (name === 'huge-scc') {
    ops = opsFromEdn(parseEdnAll(readFileSync(path.join(corpus, 'elle', 'huge-scc.edn'), 'utf8')));
    models = ['strong-snapshot-isolation'];
  } else {
    const n = Number(name.replace('generated-', ''));
    ops = simulate({ seed: 42, mode: 'serializable', workload: 'list-append', txns: n, processes: 10, maxMops: 5, activeKeys: 10, maxWritesPerKey: 32 });
    models = ['strict-serializable'];
  }
  const runs = ops.length > 1_000_000 ? 1 : Number(opt('runs') ?? 3);
  const times: number[] = [];
  const cpu: number[] = [];
  let result = checkElle(ops.slice(0, 0), { consistencyModels: models });
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < runs; i++) {
    gc?.(); // start each run without the generator's (or the last run's) garbage
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    result = checkElle(ops, { consistencyModels: models });
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const best = times.indexOf(Math.min(...times));
  const cpuMs = cpu[best];
  times.sort((a, b) => a - b);
  const d = result.details as ElleDetails;
  return {
    case: name,
    txns: d.stats.txns,
    runs,
    bestMs: Math.round(times[0]),
    medianMs: Math.round(times[Math.floor(times.length / 2)]),
    txnsPerSecond: Math.round(d.stats.txns / (times[0] / 1000)),
    cpuMs: Math.round(cpuMs),
    txnsPerCpuSecond: Math.round(d.stats.txns / (cpuMs / 1000)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    valid: result.valid,
    anomalies: d.anomalyTypes.join(' ') || '-',
    edges: d.stats.edges,
  };
}

const single = opt('case');
if (single) {
  console.log(JSON.stringify(runCase(single)));
} else {
  const sizes = (opt('sizes') ?? '100000,1000000').split(',').map(Number);
  const cases = ['huge-scc', ...sizes.map((n) => `generated-${n}`)];
  const rows: Row[] = [];
  for (const c of cases) {
    console.error(`running ${c} ...`);
    const child = spawnSync(process.execPath, ['--max-old-space-size=8192', '--max-semi-space-size=64', '--expose-gc', '--import', 'tsx', self, '--case', c, ...(opt('runs') ? ['--runs', opt('runs')!] : [])], { encoding: 'utf8' });
    if (child.status !== 0) {
      console.error(`case ${c} failed:\n${child.stderr}`);
      process.exit(2);
    }
    rows.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
  }
  if (args.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log('elle checker (check time excludes parsing/generation; txns/s from the best run; peak RSS includes the history in memory)');
    console.table(rows);
    console.log('Elle (Clojure) README: 100k-160k txns/s; target here: >= 100k txns/s, 1M txns within 4 GB.');
  }
}
