// `faultline serve` over a fixture store: the index lists every run with its
// verdicts, filters in the page, serves reports (stored or rendered on the fly)
// and raw files, and nothing outside a run folder.
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, writeSummary } from '../../reports/index.ts';
import { startStoreServer, type RunningServer } from '../../reports/server.ts';
import type { StoreRun } from '../../reports/store-index.ts';
import { writeSyntheticRun } from '../../testkit/synthetic-run.ts';
import { launchChromium, type Browser } from '../../testkit/chromium.ts';

let store: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  store = await mkdtemp(path.join(tmpdir(), 'faultline-store-'));
  const a = path.join(store, 'register', '20260102T030405.000');
  const b = path.join(store, 'register', '20260102T040405.000');
  const c = path.join(store, 'bank', '20260103T030405.000');
  await writeSyntheticRun(a, { ops: 300, startTime: '2026-01-02T03:04:05.000Z' });
  await writeSyntheticRun(b, { ops: 300, invalid: true, seed: 2, startTime: '2026-01-02T04:04:05.000Z' });
  await writeSyntheticRun(c, { ops: 100, seed: 3, startTime: '2026-01-03T03:04:05.000Z' });
  await writeReport(a);
  await writeReport(b);
  await writeSummary(b);
  // c has neither report.html nor summary.json: both are derived on demand.
  await writeFile(path.join(store, 'secret.txt'), 'outside any run');
  await symlink(path.relative(store, b), path.join(store, 'latest'));
  server = await startStoreServer({ store, port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(store, { recursive: true, force: true });
});

describe('faultline serve', () => {
  it('binds to loopback and lists every run with its verdicts and counts', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const runs = (await (await fetch(`${server.url}api/runs`)).json()) as StoreRun[];
    expect(runs.map((r) => [r.id, r.valid, r.ops, r.faults])).toEqual([
      ['bank/20260103T030405.000', true, 100, 2],
      ['register/20260102T040405.000', false, 300, 2],
      ['register/20260102T030405.000', true, 300, 2],
    ]);
    expect(runs[1].checkers.map((c) => [c.checker, c.valid])).toEqual([['linearizability', false], ['perf', true]]);
    expect(runs.map((r) => r.hasReport)).toEqual([false, true, true]);
  });

  it('caches the index: a second listing reads no run folder again', async () => {
    const first = await server.index.runs();
    const second = await server.index.runs();
    expect(second).toBe(first);
  });

  it('the page filters and sorts, and links to each report', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-rendered="store"]');
    expect(await page.locator('#store-rows tr').count()).toBe(3);
    await page.selectOption('#store-verdict', 'invalid');
    expect(await page.locator('#store-rows tr').count()).toBe(1);
    await page.selectOption('#store-verdict', 'all');
    await page.fill('#store-filter', 'bank');
    expect(await page.locator('#store-rows tr').count()).toBe(1);
    await page.fill('#store-filter', '');
    await page.click('th[data-column="ops"]'); // descending by ops: 300, 300, 100
    expect(await page.locator('#store-rows tr').last().getAttribute('data-run')).toBe('bank/20260103T030405.000');
    await page.screenshot({ path: path.resolve('test-output/screenshots/serve-index.png') });
    await page.click('tr[data-run="register/20260102T040405.000"] td:first-child a');
    await page.waitForSelector('body[data-rendered="main"]');
    expect(await page.textContent('#overall')).toBe('invalid');
    // The node-log links resolve against the run folder on the server.
    const logHref = await page.getAttribute('#logs a', 'href');
    const log = await fetch(new URL(logHref!, page.url()));
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    await page.close();
  });

  it('renders a report for a run that has none, and serves raw files as data', async () => {
    const report = await fetch(`${server.url}runs/bank/20260103T030405.000/report.html`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('id="report-model"');
    const history = await fetch(`${server.url}runs/bank/20260103T030405.000/history.jsonl`);
    expect(history.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await history.text()).split('\n')[0]).toMatch(/^\{"index":0,/);
    const nodes = await fetch(`${server.url}runs/bank/20260103T030405.000/nodes/`);
    expect(await nodes.text()).toBe('nodes/n1/server.log\nnodes/n2/server.log\n');
  });

  it('serves nothing outside a run folder', async () => {
    for (const probe of ['runs/register/..%2F..%2Fsecret.txt', 'runs/register/20260102T030405.000/..%2F..%2Fsecret.txt', 'secret.txt', 'runs/latest/x/report.html']) {
      const res = await fetch(`${server.url}${probe}`);
      expect(res.status, probe).not.toBe(200);
      expect(await res.text()).not.toContain('outside any run');
    }
  });

  it('answers only localhost names (a rebound DNS name is refused) and a malformed escape with 400', async () => {
    const { request } = await import('node:http');
    const get = (host: string, p = '/api/runs') =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url.replace(/\/$/, '')}${p}`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('evil.example:8080')).toBe(421);
    expect(await get('127.0.0.1.evil.example')).toBe(421);
    expect(await get('localhost:1234')).toBe(200);
    expect(await get('127.0.0.1')).toBe(200);
    expect(await get('127.0.0.1', '/runs/%E0%A4%A')).toBe(400);
  });
});
