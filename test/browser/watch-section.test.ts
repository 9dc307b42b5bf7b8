// Real chromium on the report of a REAL watch checker result: the watchers
// table, each violation with its rule and explanation, a hostile key
// rendered as text; no section for a run without a watch result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWatch } from '../../checkers/index.ts';
import { writeReport } from '../../reports/index.ts';
import { writeCheckedRun } from '../../testkit/checker-runs.ts';
import { XSS } from '../../testkit/synthetic-run.ts';
import { launchChromium, type Browser } from '../../testkit/chromium.ts';
import { GOOD, events, put, run } from '../../testkit/watch-history.ts';

declare const window: { __xss?: number };

let root: string;
let browser: Browser;
const runs = { invalid: '', valid: '' };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-watch-view-'));
  // A phantom put to a hostile key outside the watched range: a filter and a value violation.
  const bad = run([...GOOD, [events(6, put(`watch0${XSS}`, XSS, 6))]]);
  runs.invalid = await writeCheckedRun(path.join(root, 'invalid'), 'watch-invalid', bad, [checkWatch(bad)]);
  const good = run(GOOD);
  runs.valid = await writeCheckedRun(path.join(root, 'valid'), 'watch-valid', good, [{ checker: 'set', valid: true, summary: 'no watch here' }]);
  for (const dir of Object.values(runs)) await writeReport(dir);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

describe('watch section', () => {
  it('lists the watchers and each violation as text; absent without a watch result', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(runs.invalid, 'report.html')).href);
    await page.waitForSelector('body[data-rendered="main"]');
    expect(await page.textContent('#watch h2')).toContain('invalid');
    expect(await page.locator('#watch tr.watch-watcher').count()).toBe(1);
    expect(await page.textContent('#watch tr.watch-watcher[data-watcher="w0"]')).toContain('prev_kv');
    const rules = await page.locator('#watch tr.watch-violation').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
    expect(rules.sort()).toEqual(['filter', 'value']);
    expect(await page.textContent('#watch tr.watch-violation[data-rule="value"]')).toContain(`phantom: no write ever wrote ${JSON.stringify(XSS)}`);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
    const valid = await browser.context.newPage();
    await valid.goto(pathToFileURL(path.join(runs.valid, 'report.html')).href);
    await valid.waitForSelector('body[data-rendered="main"]');
    expect(await valid.locator('#watch').count()).toBe(0);
    await valid.close();
  });
});
