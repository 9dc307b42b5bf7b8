// faultline check through the real entry point: verdict lines, JSON, exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testkit/corpus.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/faultline.mjs');
const run = (...args: string[]) => execa('node', [bin, 'check', ...args], { reject: false, env: { FORCE_COLOR: '0' } });
const corpus = (p: string) => path.join(corpusDir, p);

describe('faultline check', () => {
  it('exits 0 with a verdict line per file when all are valid', async () => {
    const r = await run(corpus('porcupine/etcd/etcd_002.log'), corpus('porcupine/etcd/etcd_005.log'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('valid'))).toHaveLength(2);
  });

  it('exits 1 and explains an invalid history', async () => {
    const r = await run(corpus('knossos/cas-register/bad/bad-analysis.edn'), '--initial', '0');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^INVALID/);
    expect(r.stdout).toMatch(/op 13: read -> 2 \(process 21\): impossible when the state is [01]/);
  });

  it('prints JSON with --json and exits 2 on a timeout', async () => {
    const r = await run(corpus('porcupine/kv/c50-ok.txt'), '--model', 'kv', '--no-partition', '--timeout', '100ms', '--json');
    expect(r.exitCode).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.result.valid).toBe('unknown');
    expect(out.result.details.unknownReason).toBe('timeout');
  });

  it('--junit: a suite per file, a failure for the invalid one, an error for the unreadable one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-junit-'));
    const junit = path.join(dir, 'junit.xml');
    const broken = path.join(dir, 'broken.edn');
    fs.writeFileSync(broken, '[{:process 1');
    const checkFolders = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('faultline-check-'));
    const before = new Set(checkFolders());
    const r = await run(corpus('knossos/cas-register/good/memstress3-1.edn'), corpus('knossos/cas-register/bad/bad-analysis.edn'), broken, '--initial', '0', '--junit', junit);
    // The run folders JUnit was made from were temporary (no --report): none is left behind.
    expect(checkFolders().filter((f) => !before.has(f))).toEqual([]);
    expect(r.exitCode).toBe(1);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="faultline" tests="3" failures="1" errors="1">/);
    expect(xml).toMatch(/<testcase classname="faultline\.[^"]*" name="linearizability" time="0"><\/testcase>/);
    expect(xml).toMatch(/<failure type="invalid" message="not linearizable: [^"]*op 13 \(read -&gt; 2\)/);
    expect(xml).toContain(`<testsuite name="${broken}" tests="1" failures="0" errors="1"`);
  });

  it('names file, line and what was expected for a malformed file, without a stack trace (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-check-'));
    const file = path.join(dir, 'broken.edn');
    fs.writeFileSync(file, '[{:process 1, :type :invoke, :f :read}\n {:process 1, :type :ok, :f :read :value 3}\n');
    const r = await run(file);
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr).toContain(`${file}:3: expected ']' to close the vector opened at line 1, column 1`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const missing = await run(path.join(dir, 'nope.jsonl'), '--model', 'nonsense');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("unknown model 'nonsense'");
  });

  it('writes a run folder with report.html per file with --report, the counterexample embedded', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-report-'));
    const bad = corpus('knossos/cas-register/bad/bad-analysis.edn');
    const good = corpus('porcupine/etcd/etcd_002.log');
    const r = await run(bad, good, '--initial', '0', '--report', out);
    expect(r.exitCode).toBe(1);
    const badDir = path.join(out, 'bad-analysis.edn');
    const badReport = path.join(badDir, 'report.html');
    expect(r.stdout).toContain(`report: ${badReport}`);
    for (const f of ['test.json', 'history.jsonl', 'results.json', 'report.html', 'summary.json']) expect(fs.existsSync(path.join(badDir, f)), f).toBe(true);

    const page = reportModel(badReport);
    expect(page.results.valid).toBe(false);
    expect(page.test.command).toContain('--report');
    expect(page.test.source).toBe(bad);
    const ce = page.counterexamples[0];
    expect(ce.checker).toBe('linearizability');
    expect(ce.prefixLength).toBe(6);
    expect(ce.ops.find((o) => o.op === 13)?.stuckReason).toMatch(/impossible when the state is 1/);
    // No :time in Knossos files: the ops are spread out in history order for the drawing.
    expect(page.counts.durationMs).toBeGreaterThan(0);

    // The folder is a run like any other: its history re-checks to the same verdict.
    const again = await run(path.join(badDir, 'history.jsonl'), '--initial', '0');
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toContain('op 13 (read -> 2) cannot be placed');
    expect(reportModel(path.join(out, 'etcd_002.log', 'report.html')).results.valid).toBe(false);

    // --json names the report too; the same file name twice gets two folders.
    const twice = await run(good, good, '--report', out, '--json');
    expect(twice.exitCode).toBe(0);
    const outcomes = JSON.parse(twice.stdout) as { report: string }[];
    expect(outcomes.map((o) => path.relative(out, o.report))).toEqual([path.join('etcd_002.log', 'report.html'), path.join('etcd_002.log-2', 'report.html')]);
    expect(reportModel(outcomes[1].report).results.valid).toBe(true);
  });
});

interface ReportPage {
  results: { valid: boolean | 'unknown' };
  test: { command: string; source: string };
  counts: { durationMs: number };
  counterexamples: { checker: string; prefixLength: number; ops: { op: number; stuckReason?: string }[] }[];
}

/** The JSON model a report.html embeds (what its page draws). */
function reportModel(file: string): ReportPage {
  const html = fs.readFileSync(file, 'utf8');
  const m = /<script type="application\/json" id="report-model">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error(`${file}: no report-model block`);
  return JSON.parse(m[1]) as ReportPage;
}

describe('faultline check runs any registered checker, the one table test and analyze use', () => {
  const jsonl = (ops: object[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-check-'));
    const file = path.join(dir, 'h.jsonl');
    fs.writeFileSync(file, ops.map((o, index) => JSON.stringify({ index, time: index * 1000, ...o })).join('\n') + '\n');
    return { file, dir };
  };

  it('--checker set catches a lost add; --checker bank needs its config, given with --config', async () => {
    const { file, dir } = jsonl([
      { process: 0, type: 'invoke', f: 'add', value: 1 },
      { process: 0, type: 'ok', f: 'add', value: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: [] },
    ]);
    try {
      const set = await run(file, '--checker', 'set');
      expect(set.exitCode).toBe(1);
      expect(set.stdout).toMatch(/^INVALID .*h.jsonl: .*lost/m);
      const bank = await run(file, '--checker', 'bank');
      expect(bank.exitCode).toBe(2);
      expect(bank.stderr).toMatch(/bank checker needs config/);
      const badJson = await run(file, '--checker', 'bank', '--config', '{accounts');
      expect(badJson.exitCode).toBe(2);
      expect(badJson.stderr).toMatch(/--config: expected a JSON object/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown model is refused before any file is read (exit 2, names the known ones)', async () => {
    const r = await run('/nonexistent.jsonl', '--model', 'nope');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown model 'nope'/);
    expect(r.stderr).toMatch(/cas-register/);
  });
});

describe('faultline check on faultline\'s own history.jsonl agrees with analyze', () => {
  it('a nil read after a write is invalid (nil means absent, as the register workload checks it), state-hash ops included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-own-'));
    const file = path.join(dir, 'history.jsonl');
    const ops = [
      { process: 0, type: 'invoke', f: 'write', value: [1, 5] },
      { process: 0, type: 'ok', f: 'write', value: [1, 5] },
      { process: 1, type: 'invoke', f: 'read', value: [1, null] },
      { process: 1, type: 'ok', f: 'read', value: [1, null] },
      { process: 2, type: 'invoke', f: 'state-hash', value: null },
      { process: 2, type: 'ok', f: 'state-hash', value: { node: 'n1', index: 3, hash: 'ab' } },
    ];
    fs.writeFileSync(file, ops.map((o, index) => JSON.stringify({ index, time: index * 1000, ...o })).join('\n') + '\n');
    try {
      const r = await run(file, '--model', 'kv-cas-register');
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/^INVALID/);
      // EDN keeps Knossos' meaning (nil matches any value) unless told otherwise.
      const asUnknown = await run(file, '--model', 'kv-cas-register', '--nil-read', 'unknown');
      expect(asUnknown.exitCode).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
