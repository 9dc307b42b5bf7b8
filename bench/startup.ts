// npm run bench:startup: how long `faultline` takes as a whole process, as a
// user starts it (node bin/faultline.mjs: freshness check of the bundle, then
// the bundled CLI). Median of 5 runs each, interleaved so load spikes hit every
// case alike, next to a bare `node -e 0` measured in the same rounds:
//   faultline --version, faultline --help,
//   faultline check ../shared/corpus/porcupine/etcd/*.log (70 files, cas-register, nil-read auto)
// with PASS/FAIL against the targets; exits 1 if one is missed. The bundle's
// entry run directly (no bin, no freshness check) shows what that check costs.
//   tsx bench/startup.ts [--runs N] [--json]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../testkit/corpus.ts';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const JSON_OUT = args.includes('--json');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/faultline.mjs');
const etcdDir = path.join(corpusDir, 'porcupine/etcd');
const etcdLogs = fs.readdirSync(etcdDir).filter((f) => f.endsWith('.log')).sort().map((f) => path.join(etcdDir, f));

interface Case {
  name: string;
  argv: string[];
  /** Exit codes that mean it ran as it should. */
  exitCodes: number[];
  /** Targets: seconds, and multiple of `node -e 0`. */
  maxSeconds?: number;
  maxRatio?: number;
}

// The bundle's entry, as dist/build.json names it once the warm-up below has built it if needed.
const bundleEntry = (): string => {
  const info = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/build.json'), 'utf8')) as { dir: string; entry: string };
  return path.join(ROOT, 'dist', info.dir, info.entry);
};

const CASES: Case[] = [
  { name: 'node -e 0', argv: ['-e', '0'], exitCodes: [0] },
  { name: 'faultline --version', argv: [BIN, '--version'], exitCodes: [0], maxSeconds: 0.2, maxRatio: 2.5 },
  // The same without bin/faultline.mjs: the difference is what the freshness check costs.
  { name: '  (bundle entry --version, no check)', argv: ['<bundle>', '--version'], exitCodes: [0] },
  { name: 'faultline --help', argv: [BIN, '--help'], exitCodes: [0], maxSeconds: 0.2, maxRatio: 2.5 },
  // 14 of the 70 are linearizable: exit 1 (some invalid); 2 would be an error.
  { name: `faultline check etcd/*.log (${etcdLogs.length} files)`, argv: [BIN, 'check', ...etcdLogs], exitCodes: [1], maxSeconds: 0.6, maxRatio: 7 },
];

interface Sample {
  seconds: number;
  rebuilt: boolean;
}

function runOnce(c: Case): Sample {
  const argv = c.argv.map((a) => (a === '<bundle>' ? bundleEntry() : a));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  if (!c.exitCodes.includes(r.status ?? -1)) {
    throw new Error(`${c.name}: exit ${r.status} (expected ${c.exitCodes.join(' or ')})\n${r.stderr.slice(0, 2000)}`);
  }
  // Someone changed a source between runs: this sample includes a rebuild, so it does not count.
  return { seconds, rebuilt: r.stderr.includes('building the CLI bundle') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// Warm up: builds the bundle if it is stale (the --version case comes before the
// bare bundle's), and fills the page cache.
for (const c of CASES) runOnce(c);

const samples = new Map<Case, number[]>(CASES.map((c) => [c, []]));
let rebuilds = 0;
for (let round = 0; round < RUNS; round++) {
  for (const c of CASES) {
    let s = runOnce(c);
    while (s.rebuilt && rebuilds < 20) {
      rebuilds++;
      s = runOnce(c);
    }
    samples.get(c)!.push(s.seconds);
  }
}

const base = median(samples.get(CASES[0])!);
const rows = CASES.map((c) => {
  const m = median(samples.get(c)!);
  const ratio = m / base;
  const pass = (c.maxSeconds === undefined || m <= c.maxSeconds) && (c.maxRatio === undefined || ratio <= c.maxRatio);
  return { name: c.name, medianS: m, minS: Math.min(...samples.get(c)!), ratio, maxSeconds: c.maxSeconds, maxRatio: c.maxRatio, pass: c.maxSeconds === undefined ? null : pass };
});

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
const goLine = go.error || go.status !== 0 ? 'Go comparison: skipped (no go)' : `Go comparison: skipped (${go.stdout.trim()} found, but no Porcupine checker build here)`;

if (JSON_OUT) {
  console.log(JSON.stringify({ runs: RUNS, rows, freshnessCheckS: rows[1].medianS - rows[2].medianS, go: goLine }, null, 2));
} else {
  console.log(`whole-process time, median of ${RUNS} (interleaved rounds), ${process.platform}/${process.arch}, Node ${process.version}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const target = r.maxSeconds === undefined ? '' : `target <= ${r.maxSeconds.toFixed(2)} s and <= ${r.maxRatio}x`;
    const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL';
    console.log(`${r.name.padEnd(width)}  ${r.medianS.toFixed(3)} s  (min ${r.minS.toFixed(3)})  ${r.ratio.toFixed(2).padStart(5)}x  ${target.padEnd(34)} ${verdict}`);
  }
  const check = rows[1].medianS - rows[2].medianS;
  console.log(`bin/faultline.mjs + freshness check of the sources: ${(check * 1000).toFixed(0)} ms of the --version time`);
  if (rebuilds > 0) console.log(`(${rebuilds} sample(s) re-taken: sources changed during the bench and the bundle was rebuilt)`);
  console.log(goLine);
}
if (rows.some((r) => r.pass === false)) process.exitCode = 1;
