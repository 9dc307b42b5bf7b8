// Real chromium on a report whose faults did not all take effect: the fault
// without effect stands out in the list (its evidence beside it), gets no
// band behind the plots, says so when hovered, and the faults checker's
// banner says the run is unknown. summary.json and JUnit carry the counts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultValue, History, Op } from '../../history/op.ts';
import { checkFaults } from '../../checkers/faults.ts';
import { renderJUnit, writeReport, writeSummary } from '../../reports/index.ts';
import { writeCheckedRun } from '../../testkit/checker-runs.ts';
import { launchChromium, type Browser } from '../../testkit/chromium.ts';

// page.evaluate callbacks run in the page; this project compiles without the DOM lib.
interface CanvasLike {
  width: number;
  clientWidth: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
declare const window: { faultlineReport: { model: { counts: { durationMs: number }; faults: Array<{ fault: string; start: number; end: number; effect?: string }> } } };
declare const document: { querySelector(selector: string): unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

const SCREENSHOTS = path.resolve('test-output/screenshots');
const MS = 1e6;
let root: string;
let run: string;
let browser: Browser;

/** 3 s of reads at 50/s; a partition that did nothing (0.5-1.2 s), a kill that did (1.5-2.2 s), a start that failed (2.4 s). */
function history(): History {
  const ops: Array<Omit<Op, 'index'>> = [];
  for (let t = 0; t < 3000; t += 20) {
    ops.push({ time: t * MS, process: t % 3, type: 'invoke', f: 'read', value: null });
    ops.push({ time: (t + 5) * MS, process: t % 3, type: 'ok', f: 'read', value: 1 });
  }
  const nemesis = (t: number, f: string, type: Op['type'], value: Partial<FaultValue> | null, error?: string) => {
    ops.push({ time: t * MS, process: 'nemesis', type: 'invoke', f, value: null });
    ops.push({ time: (t + 8) * MS, process: 'nemesis', type, f, value, ...(error ? { error } : {}) });
  };
  nemesis(500, 'start-partition', 'ok', { fault: 'partition', nodes: ['n1', 'n2', 'n3'], description: 'halves: n1 | n2 n3', effect: 'no-effect', evidence: { summary: '4 of 4 pairs meant to be cut still connect (n1->n2, n2->n1, n1->n3, n3->n1)' } });
  nemesis(1200, 'stop-partition', 'ok', { fault: 'partition', nodes: ['n1', 'n2', 'n3'], effect: 'took-effect', evidence: { summary: 'all 6 pairs connect again' } });
  nemesis(1500, 'start-kill', 'ok', { fault: 'kill', nodes: ['n2'], effect: 'took-effect', evidence: { summary: 'n2: pid 14 gone after 50 ms' } });
  nemesis(2200, 'stop-kill', 'ok', { fault: 'kill', nodes: ['n2'], effect: 'took-effect', evidence: { summary: 'n2: new pid 61, answering after 640 ms' } });
  nemesis(2400, 'start-partition', 'info', { fault: 'partition', nodes: [], effect: 'no-effect', evidence: { summary: 'command failed: n3: script exited 2: iptables: Permission denied' } }, 'n3: script exited 2');
  nemesis(2700, 'stop-all', 'ok', { fault: 'all', nodes: ['n1', 'n2', 'n3'], effect: 'took-effect', evidence: { summary: 'all 6 pairs connect again' } });
  return ops.sort((a, b) => a.time - b.time).map((o, index) => ({ ...o, index }));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-browser-faults-'));
  const h = history();
  run = await writeCheckedRun(path.join(root, 'ineffective'), 'etcd-register-partition+kill', h, [
    { checker: 'linearizability', valid: true, summary: 'linearizable' },
    checkFaults(h, { requested: ['partition', 'kill'] }),
  ]);
  await writeReport(run);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path.join(run, 'report.html')).href);
  await page.waitForSelector('body[data-rendered="main"]');
  return { page, errors };
}

/** Alpha of the throughput plot's canvas at time t (ms), near the top of the plot area: a fault band is drawn there. */
async function bandAlpha(page: Page, t: number): Promise<number> {
  return page.evaluate((time) => {
    const canvas = document.querySelector('canvas[data-plot="throughput"]') as CanvasLike;
    const ratio = canvas.width / canvas.clientWidth;
    const x = 64 + (time / window.faultlineReport.model.counts.durationMs) * (canvas.clientWidth - 64 - 14);
    return canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(14 * ratio), 1, 1).data[3];
  }, t);
}

describe('a fault without effect in report.html', () => {
  it('stands out in the fault list with its evidence, gets no band, and the verdict says unknown', async () => {
    const { page, errors } = await open();
    // The faults checker's verdict, first on the page.
    expect(await page.getAttribute('.banner[data-checker="faults"]', 'data-verdict')).toBe('unknown');
    expect(await page.textContent('.banner[data-checker="faults"]')).toContain('faults had no effect (partition 0/2 took effect)');
    expect(await page.textContent('#overall')).toBe('unknown');

    // The list: two rows without effect (one whose command failed), one that took effect; the counts above.
    expect(await page.textContent('#fault-effects')).toBe('3 faults: 1 took effect, 2 NO EFFECT');
    expect(await page.getAttribute('#fault-effects', 'class')).toBe('has-ineffective');
    const rows = await page.$$eval('#fault-list tr.fault-row', (trs) =>
      trs.map((tr) => ({ effect: tr.getAttribute('data-effect'), fault: tr.getAttribute('data-fault'), text: tr.textContent ?? '', bg: getComputedStyle(tr.children[0]).backgroundColor })),
    );
    expect(rows.map((r) => [r.fault, r.effect])).toEqual([['partition', 'no-effect'], ['kill', 'took-effect'], ['partition', 'no-effect']]);
    expect(rows[0].text).toContain('NO EFFECT');
    expect(rows[0].text).toContain('4 of 4 pairs meant to be cut still connect');
    expect(rows[2].text).toContain('(start unknown)');
    expect(rows[2].text).toContain('iptables: Permission denied');
    expect(rows[1].text).toContain('took effect');
    expect(rows[1].text).toContain('n2: pid 14 gone after 50 ms');
    // Its impact on the clients, from the faults checker: none failed, ~50 reads/s throughout.
    expect(rows[1].text).toMatch(/0 failed, 0 timed out; (49|50|51) → (49|50|51) → (49|50|51) ops\/s/);
    // Distinct style: the ineffective rows are tinted, the effective one is not.
    expect(rows[0].bg).not.toBe(rows[1].bg);
    expect(rows[0].bg).toBe(rows[2].bg);
    expect(await page.textContent('#fault-list tr.fault-row.effect-no-effect .effect')).toBe('NO EFFECT');

    // Behind the plots: a band where the kill was in force, none where the partition did nothing.
    const faults = await page.evaluate(() => window.faultlineReport.model.faults);
    const [partition, kill] = faults;
    expect(await bandAlpha(page, (kill.start + kill.end) / 2)).toBeGreaterThan(0);
    expect(await bandAlpha(page, (partition.start + partition.end) / 2)).toBe(0);

    // Hovering the partition on the fault strip says it had no effect, and why.
    const strip = (await page.$('canvas[data-plot="faults"]'))!;
    const box = (await strip.boundingBox())!;
    const total = await page.evaluate(() => window.faultlineReport.model.counts.durationMs);
    await page.mouse.move(box.x + 64 + ((partition.start + partition.end) / 2 / total) * (box.width - 64 - 14), box.y + 10 + 9);
    expect(await page.textContent('#plot-faults .tooltip')).toContain('NO EFFECT: 4 of 4 pairs meant to be cut still connect');

    // The evidence opens below its row.
    await page.click('#fault-list tr.fault-evidence summary');
    expect(await page.textContent('#fault-list tr.fault-evidence pre')).toContain('"summary": "4 of 4 pairs meant to be cut still connect');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-ineffective-fault.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('summary.json and JUnit count faults by effect', async () => {
    const { summary } = await writeSummary(run);
    expect(summary.counts).toMatchObject({ faults: 3, faultEffects: { tookEffect: 1, noEffect: 2, unverified: 0 } });
    const xml = await renderJUnit([run]);
    expect(xml).toContain('<property name="faults.took-effect" value="1"/>');
    expect(xml).toContain('<property name="faults.no-effect" value="2"/>');
    expect(xml).toContain('<property name="faults.unverified" value="0"/>');
    expect(xml).toMatch(/<testcase classname="[^"]+" name="faults" time="0">\n\s*<error type="unknown" message="faults had no effect \(partition 0\/2 took effect\)"/);
  });
});
