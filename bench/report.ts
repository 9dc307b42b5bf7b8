// npm run bench:report — report size and time to write it for synthetic
// histories of 10k, 100k and 1M ops, and the time until headless chromium
// has the main view (verdicts + plots) on screen and the op table decoded.
// With --elle, the histories are simulated list-append transactions with no
// isolation, checked by the real Elle checker (many anomaly classes, each
// cycle drawn as a graph): the cost of the Elle view on top.
// Usage: npm run bench:report [-- 10000 100000] [-- --elle 10000 100000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../reports/index.ts';
import { writeSyntheticRun } from '../testkit/synthetic-run.ts';
import { launchChromium } from '../testkit/chromium.ts';
import { elleResult, writeCheckedRun } from '../testkit/checker-runs.ts';
import { simulate } from '../testkit/elle-sim.ts';

/** A run folder of `txns` simulated transactions (no isolation) with the Elle checker's real result. */
async function writeElleRun(runDir: string, txns: number): Promise<string> {
  const history = simulate({ seed: 7, mode: 'no-isolation', workload: 'list-append', txns, processes: 20, maxMops: 4, activeKeys: 10, maxWritesPerKey: 32, abortRate: 0.05 });
  const result = elleResult(history, ['strict-serializable']);
  return writeCheckedRun(runDir, `elle-${txns}`, history, [result]);
}

const elle = process.argv.includes('--elle');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const counts = sizes.length ? sizes : elle ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const root = await mkdtemp(path.join(tmpdir(), 'faultline-bench-report-'));
const browser = await launchChromium();
const rows: string[] = [];
try {
  for (const ops of counts) {
    const runDir = path.join(root, String(ops));
    if (elle) await writeElleRun(runDir, ops);
    else await writeSyntheticRun(runDir, { ops, processes: 20, invalid: true });
    const t0 = performance.now();
    const { path: file, bytes } = await writeReport(runDir);
    const writeMs = performance.now() - t0;
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await page.waitForSelector('body[data-rendered="main"]', { timeout: 120_000 });
    await page.waitForSelector('body[data-columns="loaded"]', { timeout: 120_000 });
    if (elle) await page.waitForSelector('#elle[data-built="true"]', { timeout: 120_000 });
    // Both are performance.now() in the page: ms since navigation start.
    const timing = (await page.evaluate(
      "({ rendered: window.__faultlineRenderedAt, columns: window.__faultlineColumnsAt, elleBuilt: window.__faultlineElleBuiltAt, graphs: document.querySelectorAll('svg.elle-graph').length, classes: document.querySelectorAll('.elle-class').length })",
    )) as { rendered: number; columns: number; elleBuilt: number; graphs: number; classes: number };
    await page.close();
    const row = `${String(ops).padStart(9)} ${elle ? 'txns' : 'ops '} | write ${(writeMs / 1000).toFixed(2).padStart(6)} s | size ${(bytes / 1e6).toFixed(2).padStart(7)} MB | main view ${(timing.rendered / 1000).toFixed(2)} s | op table ready ${(timing.columns / 1000).toFixed(2)} s${elle ? ` | Elle view drawn ${(timing.elleBuilt / 1000).toFixed(2)} s (${timing.classes} anomaly classes, ${timing.graphs} cycle graphs)` : ''}`;
    console.log(row);
    rows.push(row);
    await rm(runDir, { recursive: true, force: true });
  }
} finally {
  await browser.close();
  await rm(root, { recursive: true, force: true });
}
console.log(`\nbench:report${elle ? ' --elle' : ''} (times from navigation start, headless chromium, this machine)`);
for (const row of rows) console.log(row);
