import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport, renderJUnit, writeJUnit, writeReport, writeSummary } from '../../reports/index.ts';
import { scriptSafeJson } from '../../reports/html.ts';
import { writeSyntheticRun, XSS, XSS_SCRIPT } from '../../testkit/synthetic-run.ts';

let root: string;
let valid: string;
let invalid: string;
let hostile: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-report-'));
  valid = path.join(root, 'valid');
  invalid = path.join(root, 'invalid');
  hostile = path.join(root, 'hostile');
  await writeSyntheticRun(valid, { ops: 600 });
  await writeSyntheticRun(invalid, { ops: 600, invalid: true });
  await writeSyntheticRun(hostile, { ops: 300, hostile: true, invalid: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadReport', () => {
  it('embeds verdicts, faults in ms, plot data, log excerpts and the counterexample', async () => {
    const { model, chunks } = await loadReport(invalid);
    expect(model.results.valid).toBe(false);
    expect(model.counts.clientOps).toBe(600);
    expect(model.faults.map((f) => f.fault)).toEqual(['partition', 'kill']);
    expect(model.faults[0].end).toBeGreaterThan(model.faults[0].start);
    expect(model.throughput.t.length).toBeGreaterThan(10);
    expect(model.scatter.id.length).toBe(600);
    expect(model.logs.files.map((f) => f.path)).toEqual(['nodes/n1/server.log', 'nodes/n2/server.log']);
    // partition hit n1 n2 (both logs), kill hit n2 only
    expect(model.logs.excerpts.map((x) => [x.fault, x.node])).toEqual([[0, 'n1'], [0, 'n2'], [1, 'n2']]);
    const [cx] = model.counterexamples;
    expect(cx.key).toBe('x');
    expect(cx.prefixLength).toBe(15);
    const stuck = cx.ops.filter((o) => o.stuckReason);
    expect(stuck).toHaveLength(1);
    expect(cx.firstError).toBe(stuck[0].id);
    // The anomaly is certain when the stuck op returns, after it was invoked.
    expect(cx.anomalyAt).toBe(stuck[0].end ?? stuck[0].start);
    expect(cx.anomalyAt).toBeGreaterThan(stuck[0].start);
    expect(cx.ops.filter((o) => o.linearizedAt !== null)).toHaveLength(15);
    expect(chunks.length).toBe(Math.ceil(model.columns.count / model.columns.recordsPerChunk));
  });
});

describe('readHistory', () => {
  it('keeps going past unreadable lines and counts them', async () => {
    const dir = path.join(root, 'broken');
    await writeSyntheticRun(dir, { ops: 20 });
    const file = path.join(dir, 'history.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}{"truncated": \nnot json\n\n`);
    const { model } = await loadReport(dir);
    expect(model.counts.clientOps).toBe(20);
    expect(model.counts.malformedLines).toBe(2);
  });
});

describe('writeReport', () => {
  it('writes one self-contained file: no external URL, CSP without inline handlers', async () => {
    const { path: file, bytes } = await writeReport(valid);
    const html = await readFile(file, 'utf8');
    expect(Buffer.byteLength(html)).toBe(bytes);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    expect(html).not.toContain('unsafe-inline\'; script');
  });

  it('never lets a hostile value out of its data block', async () => {
    const html = await readFile((await writeReport(hostile)).path, 'utf8');
    expect(html).not.toContain(XSS);
    expect(html).not.toContain(XSS_SCRIPT);
    // Only the page's own script runs: one executable <script> element.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)?.length).toBe(html.match(/<script[ >]/g)?.length);
  });

  it('scriptSafeJson cannot close its script block', () => {
    const text = scriptSafeJson({ v: XSS_SCRIPT, line: '\u2028' });
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual({ v: XSS_SCRIPT, line: '\u2028' });
  });
});

describe('summary.json and JUnit', () => {
  it('summary.json carries verdicts, counts and paths', async () => {
    const { summary } = await writeSummary(invalid);
    expect(summary).toMatchObject({ name: 'register', valid: false, counts: { operations: 600, faults: 2 } });
    expect(summary.checkers.map((c) => [c.checker, c.valid])).toEqual([['linearizability', false], ['perf', true]]);
    expect(summary.paths).toMatchObject({ history: 'history.jsonl', results: 'results.json', test: 'test.json', nodes: 'nodes' });
    expect(JSON.parse(await readFile(path.join(invalid, 'summary.json'), 'utf8'))).toEqual(summary);
  });

  it('JUnit has one testcase per checker per run, failure carrying the explanation', async () => {
    const file = path.join(root, 'junit.xml');
    await writeJUnit([valid, invalid, hostile], file);
    const xml = await readFile(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="faultline" tests="6" failures="2" errors="0">/);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml.match(/<failure type="invalid" message="key x is not linearizable: /g)).toHaveLength(2);
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
  });

  it('a run with no results is an error testcase, not a pass', async () => {
    const empty = path.join(root, 'empty');
    await writeSyntheticRun(empty, { ops: 10 });
    await rm(path.join(empty, 'results.json'));
    const xml = await renderJUnit([empty]);
    expect(xml).toContain('<error type="unknown" message="no checker results in results.json">');
  });
});
