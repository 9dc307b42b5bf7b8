// Real chromium on real report files: verdicts, fault bands, reaching the
// failing op, records decoded exactly, hostile data rendered as text.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { renderJUnit, writeReport } from '../../reports/index.ts';
import { writeSyntheticRun, XSS } from '../../testkit/synthetic-run.ts';
import { launchChromium, type Browser } from '../../testkit/chromium.ts';
import { etcdCoverage } from '../../clusters/etcd/coverage.ts';
import { writeCoverage } from '../../harness/run-folder/index.ts';
import { checkRaftProtocol, type RunResults } from '../../checkers/index.ts';

// The callbacks given to page.evaluate run in the page; this project compiles
// without the DOM lib, so the few browser globals they use are declared here
// (module scope: nothing leaks into other files).
interface ElementLike {
  tagName: string;
  textContent: string | null;
  children: ArrayLike<ElementLike>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): ElementLike | null;
}
interface CanvasLike {
  width: number;
  clientWidth: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface ReportApi {
  model: {
    counts: { durationMs: number; operations: number; fail: number };
    columns: { count: number };
    faults: Array<{ fault: string; start: number; end: number }>;
    counterexamples: Array<{ firstError: number; ops: Array<{ id: number; op: number; stuckReason?: string }> }>;
  };
  loadRecord(id: number): Promise<[Op, Op | null] | null>;
  select(id: number): void;
}
declare const window: { faultlineReport: ReportApi; __xss?: number; scrollTo(x: number, y: number): void };
declare const document: { querySelector(selector: string): unknown };
declare class DOMParser {
  parseFromString(text: string, type: string): { documentElement: ElementLike; querySelector(selector: string): ElementLike | null };
}

const SCREENSHOTS = path.resolve('test-output/screenshots');
let root: string;
let browser: Browser;
const runs: Record<'valid' | 'invalid' | 'hostile', string> = { valid: '', invalid: '', hostile: '' };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const name of Object.keys(runs) as Array<keyof typeof runs>) {
    runs[name] = path.join(root, name);
    await writeSyntheticRun(runs[name], { ops: name === 'hostile' ? 200 : 1500, invalid: name !== 'valid', hostile: name === 'hostile' });
    // The valid run gets coverage counted from real etcd logs (test/clusters/fixtures/coverage).
    if (name === 'valid') writeCoverage(runs[name], etcdCoverage(await etcdFixtureLogs()));
    // The invalid and hostile runs also broke Raft's rules (the hostile one with a member named like markup).
    if (name !== 'valid') await addRaftProtocolResult(runs[name], name === 'hostile' ? XSS : 'n2');
    await writeReport(runs[name]);
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

/** results.json gains the raft-protocol verdict on a trace where `second` also won term 3. */
async function addRaftProtocolResult(dir: string, second: string): Promise<void> {
  const file = path.join(dir, 'results.json');
  const results = JSON.parse(await readFile(file, 'utf8')) as RunResults;
  const r = checkRaftProtocol({ source: 'test', unsupported: {}, notes: [], observations: [{ node: 'n1', what: 'leader', term: 3 }, { node: second, what: 'leader', term: 3 }] });
  await writeFile(file, JSON.stringify({ ...results, checkers: [...results.checkers, r] }));
}

async function etcdFixtureLogs(): Promise<Map<string, string>> {
  const dir = path.resolve('test/clusters/fixtures/coverage');
  return new Map(await Promise.all(['e1', 'e2', 'e3'].map(async (n) => [n, await readFile(path.join(dir, `etcd-${n}.txt`), 'utf8')] as [string, string])));
}

async function open(run: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(path.join(run, 'report.html')).href);
  await page.waitForSelector('body[data-rendered="main"]');
  await page.waitForSelector('body[data-columns="loaded"]');
  return { page, errors };
}

/** Colour of the throughput plot's canvas at time t (ms), just below the top of the plot area. */
async function throughputPixel(page: Page, t: number): Promise<number[]> {
  return page.evaluate((time) => {
    const canvas = document.querySelector('canvas[data-plot="throughput"]') as CanvasLike;
    const { model } = window.faultlineReport;
    const ratio = canvas.width / canvas.clientWidth;
    const x = 64 + (time / model.counts.durationMs) * (canvas.clientWidth - 64 - 14);
    return Array.from(canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(14 * ratio), 1, 1).data);
  }, t);
}

describe('report.html in chromium', () => {
  it('valid run: verdict banners, meta, fault bands behind the plots', async () => {
    const { page, errors } = await open(runs.valid);
    expect(await page.textContent('#overall')).toBe('valid');
    expect(await page.getAttribute('.banner[data-checker="linearizability"]', 'data-verdict')).toBe('valid');
    expect(await page.textContent('#reproduce')).toContain('faultline test --workload register');
    const faults = await page.evaluate(() => window.faultlineReport.model.faults);
    expect(faults.map((f) => f.fault)).toEqual(['partition', 'kill']);
    const inBand = await throughputPixel(page, (faults[0].start + faults[0].end) / 2);
    const outside = await throughputPixel(page, (faults[0].end + faults[1].start) / 2);
    expect(outside).toEqual([0, 0, 0, 0]); // nothing drawn there: transparent
    expect(inBand[3]).toBeGreaterThan(0); // the translucent fault band
    // Hovering the fault strip names the fault and its nodes.
    const strip = (await page.$('canvas[data-plot="faults"]'))!;
    const box = (await strip.boundingBox())!;
    const width = box.width - 64 - 14;
    const total = await page.evaluate(() => window.faultlineReport.model.counts.durationMs);
    await page.mouse.move(box.x + 64 + (((faults[0].start + faults[0].end) / 2) / total) * width, box.y + 10 + 9);
    expect(await page.textContent('#plot-faults .tooltip')).toContain('partition on n1, n2');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-valid.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Raft's rules: the invalid run's violation with its rule, term, members and explanation; absent when the run has no such result", async () => {
    const { page, errors } = await open(runs.invalid);
    expect(await page.textContent('#raft-rules h2')).toContain('invalid');
    const row = page.locator('#raft-rules tr.raft-violation');
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-rule')).toBe('one-leader-per-term');
    expect(await row.textContent()).toContain('n1 and n2 both became leader of term 3');
    expect(errors).toEqual([]);
    await page.close();
    const valid = await open(runs.valid);
    expect(await valid.page.locator('#raft-rules').count()).toBe(0);
    await valid.page.close();
  });

  it('coverage: a table of Raft events and counts, "not observable" for what the DB cannot show, per node on demand', async () => {
    const { page, errors } = await open(runs.valid);
    expect(await page.textContent('#coverage h2')).toBe('Raft events reached (coverage)');
    const row = (event: string) => page.locator(`#coverage-totals tr[data-event="${event}"]`);
    expect(await row('leader-elected').locator('td').nth(1).textContent()).toBe('2');
    expect(await row('leader-elected').getAttribute('data-state')).toBe('reached');
    expect(await row('term-jump').getAttribute('data-state')).toBe('unreached');
    expect(await row('earlier-term-commit').locator('td').nth(1).textContent()).toBe('not observable for this DB');
    expect(await page.locator('#coverage-totals tr[data-event]').count()).toBe(11);
    expect(await page.isVisible('#coverage-per-node table')).toBe(false);
    await page.click('#coverage-per-node summary');
    expect(await page.locator('#coverage-per-node th').allTextContents()).toEqual(['event', 'e1', 'e2', 'e3']);
    expect(await page.locator('#coverage-per-node tr[data-event="vote-granted"] td').allTextContents()).toEqual(['vote-granted', '1', '0', '2']);
    await page.locator('#coverage').screenshot({ path: path.join(SCREENSHOTS, 'report-coverage.png') });
    expect(errors).toEqual([]);
    await page.close();
    // A run without coverage.json has no section.
    const other = await open(runs.invalid);
    expect(await other.page.locator('#coverage').count()).toBe(0);
    await other.page.close();
  });

  it('invalid run: the banner says what failed and when; one click reaches the failing op', async () => {
    const { page, errors } = await open(runs.invalid);
    expect(await page.textContent('#overall')).toBe('invalid');
    const banner = page.locator('.banner[data-checker="linearizability"]');
    expect(await banner.getAttribute('data-verdict')).toBe('invalid');
    expect(await banner.textContent()).toMatch(/First error at .*: read .* by p\d+/);
    await page.click('#jump-first-error');
    await page.waitForSelector('#record[data-op]');
    const id = Number(await page.getAttribute('#record', 'data-op'));
    const cx = await page.evaluate(() => window.faultlineReport.model.counterexamples[0]);
    expect(id).toBe(cx.firstError);
    const stuck = cx.ops.find((o) => o.stuckReason)!;
    // The record shown is the history's invoke line of the op that could not be linearized.
    const history = (await readFile(path.join(runs.invalid, 'history.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Op);
    expect(JSON.parse((await page.textContent('#record-invoke'))!)).toEqual(history[stuck.op]);
    expect(await page.textContent('#record-summary')).toContain(`op #${id}: read`);
    // The counterexample marks it, and the timeline outlines it.
    expect(await page.locator('.cx-op.cx-stuck').count()).toBe(1);
    expect(await page.locator('.cx-op.cx-linearized').count()).toBe(15);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-invalid.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-invalid-first-screen.png') });
    // Clicking another op's bar in the counterexample opens that op.
    const other = page.locator('.cx-op.cx-linearized').first();
    const otherId = Number(await other.getAttribute('data-op'));
    await other.click();
    await page.waitForSelector(`#record[data-op="${otherId}"]`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('every embedded record decodes to exactly the history lines', async () => {
    const { page } = await open(runs.invalid);
    const records = await page.evaluate(async () => {
      const api = window.faultlineReport;
      const out = [];
      for (let id = 0; id < api.model.columns.count; id++) out.push(await api.loadRecord(id));
      return out as Array<[Op, Op | null]>;
    });
    const history = (await readFile(path.join(runs.invalid, 'history.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Op);
    const fromRecords = records.flatMap(([invoke, completion]) => (completion ? [invoke, completion] : [invoke])).sort((a, b) => a.index - b.index);
    expect(fromRecords).toEqual(history);
    await page.close();
  });

  it('clicking an op in the history timeline shows its record', async () => {
    const { page } = await open(runs.valid);
    const canvas = (await page.$('#timeline-canvas'))!;
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // Rows are nemesis, p0, p1, ...: probe along p1's lane until a bar is hit.
    let opened = false;
    for (let x = box.x + 70; x < box.x + box.width - 20 && !opened; x += 7) {
      await page.mouse.click(x, box.y + 16 * 2 + 8);
      opened = (await page.$('#record[data-op]')) !== null;
    }
    expect(opened).toBe(true);
    const summary = await page.textContent('#record-summary');
    expect(summary).toMatch(/process 1,/);
    await page.close();
  });

  it('dragging on a plot zooms every plot and the timeline; reset shows the whole run', async () => {
    const { page } = await open(runs.valid);
    const before = await page.textContent('#range-label');
    const canvas = (await page.$('canvas[data-plot="latency"]'))!;
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 400, box.y + 60, { steps: 4 });
    await page.mouse.up();
    const zoomed = await page.textContent('#range-label');
    expect(zoomed).not.toBe(before);
    const [from, to] = zoomed!.match(/[\d.]+ (?:ms|s|µs)/g)!;
    expect(from).not.toBe('0 µs');
    expect(to).not.toBe(before!.match(/– ([\d.]+ (?:ms|s))/)![1]);
    await page.click('#reset-zoom');
    expect(await page.textContent('#range-label')).toBe(before);
    await page.close();
  });

  it('timeline filters by type, function and process', async () => {
    const { page } = await open(runs.valid);
    const counts = await page.evaluate(() => window.faultlineReport.model.counts);
    const status = () => page.textContent('#timeline-status');
    expect(await status()).toMatch(new RegExp(`^${(counts.operations).toLocaleString('en-US')} ops`));
    await page.uncheck('#filter-type-ok');
    await page.uncheck('#filter-type-info');
    // Only fails remain (the nemesis's start/stop ops completed as info, so its lane goes too).
    expect(await status()).toMatch(new RegExp(`^${counts.fail.toLocaleString('en-US')} ops`));
    await page.check('#filter-type-ok');
    await page.check('#filter-type-info');
    await page.fill('#filter-process', 'nemesis');
    expect(await status()).toBe('4 ops in 1 lanes');
    await page.fill('#filter-process', '');
    await page.selectOption('#filter-f', { label: 'start-partition' });
    expect(await status()).toBe('1 ops in 1 lanes');
    await page.close();
  });

  it('hostile values render as text and run no script', async () => {
    const { page, errors } = await open(runs.hostile);
    const hostileOp = await page.evaluate(() => {
      const api = window.faultlineReport;
      api.select(0);
      return api.model.columns.count;
    });
    expect(hostileOp).toBeGreaterThan(0);
    await page.waitForSelector('#record[data-op="0"]');
    // Open the checker's details (hostile text inside too): the click must find its target.
    const details = page.locator('details:has(summary:text("linearizability"))');
    expect(await details.count()).toBeGreaterThan(0);
    await details.first().locator('summary').click();
    expect(await details.first().getAttribute('open')).not.toBeNull();
    expect(await page.textContent('h1')).toContain(XSS);
    expect(await page.textContent('#raft-rules tr.raft-violation')).toContain(XSS);
    expect(await page.textContent('#record-completion')).toContain('<');
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3 + 1); // model, columns, one record chunk, the page script
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-hostile.png') });
    await page.close();
  });
});

describe('JUnit XML', () => {
  it('is well-formed XML with the testsuites/testsuite/testcase/failure shape', async () => {
    const xml = await renderJUnit([runs.valid, runs.invalid, runs.hostile]);
    const page = await browser.context.newPage();
    const shape = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror')!.textContent };
      const root = doc.documentElement;
      return {
        root: root.tagName,
        tests: Number(root.getAttribute('tests')),
        failures: Number(root.getAttribute('failures')),
        suites: Array.from(root.children).map((suite) => ({
          tag: suite.tagName,
          tests: Number(suite.getAttribute('tests')),
          // <properties> (fault counts by effect) comes first, then the cases.
          properties: suite.querySelector('properties')?.children.length ?? 0,
          cases: Array.from(suite.children).filter((c) => c.tagName !== 'properties').map((c) => ({
            tag: c.tagName,
            name: c.getAttribute('name'),
            classname: c.getAttribute('classname'),
            failure: c.querySelector('failure')?.getAttribute('message') ?? null,
          })),
        })),
      };
    }, xml);
    await page.close();
    // The invalid and hostile runs carry a third checker, raft-protocol, invalid too.
    expect(shape).toMatchObject({ root: 'testsuites', tests: 8, failures: 4 });
    const suites = (shape as { suites: Array<{ tag: string; tests: number; cases: Array<{ tag: string; name: string; failure: string | null }> }> }).suites;
    expect(suites.map((s) => [s.tag, s.tests, s.cases.length])).toEqual([['testsuite', 2, 2], ['testsuite', 3, 3], ['testsuite', 3, 3]]);
    expect((shape as { suites: Array<{ properties: number }> }).suites.map((s) => s.properties)).toEqual([4, 4, 4]);
    expect(suites.flatMap((s) => s.cases.map((c) => c.tag))).toEqual(Array(8).fill('testcase'));
    expect(suites[1].cases[0]).toMatchObject({ name: 'linearizability', failure: expect.stringMatching(/^key x is not linearizable/) });
    expect(suites[2].cases[1].name).toBe('perf');
  });
});

describe('a report of the real linearizability checker', () => {
  it('draws its counterexample: prefix, the stuck read, the state before it', async () => {
    const { checkLinearizability } = await import('../../checkers/linearizability/index.ts');
    const { modelByName } = await import('../../checkers/models/index.ts');
    const dir = path.join(root, 'real-checker');
    await mkdir(dir, { recursive: true });
    let index = 0;
    const op = (ms: number, process: number, type: Op['type'], f: string, value: unknown): Op => ({ index: index++, time: ms * 1e6, process, type, f, value });
    // write 1, then write 2, then a read that sees 1: not linearizable.
    const history = [
      op(0, 0, 'invoke', 'write', ['x', 1]),
      op(10, 0, 'ok', 'write', ['x', 1]),
      op(20, 1, 'invoke', 'write', ['x', 2]),
      op(30, 1, 'ok', 'write', ['x', 2]),
      op(40, 2, 'invoke', 'read', ['x', null]),
      op(50, 2, 'ok', 'read', ['x', 1]),
    ];
    const result = checkLinearizability(history, modelByName('kv-register')!);
    expect(result.valid).toBe(false);
    await writeFile(path.join(dir, 'history.jsonl'), history.map((o) => JSON.stringify(o)).join('\n') + '\n');
    await writeFile(path.join(dir, 'results.json'), JSON.stringify({ valid: false, checkers: [result] }));
    await writeReport(dir);
    const { page, errors } = await open(dir);
    expect(await page.textContent('.banner[data-checker="linearizability"]')).toContain('read -> 1');
    expect(await page.textContent('.cx-op.cx-stuck')).toBe('read -> 1');
    expect(await page.locator('.cx-op.cx-linearized').allTextContents()).toEqual(['#1 write 1', '#2 write 2']);
    expect(await page.textContent('.cx-failure code')).toBe('2');
    await page.click('#jump-first-error');
    await page.waitForSelector('#record[data-op="2"]');
    expect(JSON.parse((await page.textContent('#record-completion'))!)).toEqual(history[5]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-real-checker.png'), fullPage: true });
    await page.close();
  });
});

describe('a run folder with nothing in it yet (crashed run)', () => {
  it('still gets a report that says unknown, without page errors', async () => {
    const dir = path.join(root, 'empty');
    await mkdir(dir, { recursive: true });
    await writeReport(dir);
    const { page, errors } = await open(dir);
    expect(await page.textContent('#overall')).toBe('unknown');
    expect(await page.textContent('#verdicts')).toContain('no checker results');
    expect(await page.textContent('#timeline-status')).toBe('0 ops in 0 lanes');
    expect(errors).toEqual([]);
    await page.close();
  });
});
