// npm run bench:report — report size and time to write it for synthetic
// histories of 10k, 100k and 1M ops, and the time until headless chromium
// has the main view (verdicts + plots) on screen and the op table decoded.
// Usage: npm run bench:report [-- 10000 100000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../reports/index.ts';
import { writeSyntheticRun } from '../test/reports/synthetic-run.ts';
import { launchChromium } from '../test/browser/chromium.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length ? sizes : [10_000, 100_000, 1_000_000];
const root = await mkdtemp(path.join(tmpdir(), 'faultline-bench-report-'));
const browser = await launchChromium();
const rows: string[] = [];
try {
  for (const ops of counts) {
    const runDir = path.join(root, String(ops));
    await writeSyntheticRun(runDir, { ops, processes: 20, invalid: true });
    const t0 = performance.now();
    const { path: file, bytes } = await writeReport(runDir);
    const writeMs = performance.now() - t0;
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await page.waitForSelector('body[data-rendered="main"]', { timeout: 120_000 });
    await page.waitForSelector('body[data-columns="loaded"]', { timeout: 120_000 });
    // Both are performance.now() in the page: ms since navigation start.
    const timing = (await page.evaluate('({ rendered: window.__faultlineRenderedAt, columns: window.__faultlineColumnsAt })')) as { rendered: number; columns: number };
    await page.close();
    const row = `${String(ops).padStart(9)} ops | write ${(writeMs / 1000).toFixed(2).padStart(6)} s | size ${(bytes / 1e6).toFixed(2).padStart(7)} MB | main view ${(timing.rendered / 1000).toFixed(2)} s | op table ready ${(timing.columns / 1000).toFixed(2)} s`;
    console.log(row);
    rows.push(row);
    await rm(runDir, { recursive: true, force: true });
  }
} finally {
  await browser.close();
  await rm(root, { recursive: true, force: true });
}
console.log('\nbench:report (times from navigation start, headless chromium, this machine)');
for (const row of rows) console.log(row);
