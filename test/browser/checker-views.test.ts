// Real chromium on reports of REAL Elle and divergence results: the anomaly
// classes, the cycle drawn as a graph with its proof, transactions opening
// their op records, the divergence table; hostile keys rendered as text.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History, Op } from '../../history/op.ts';
import { writeReport } from '../../reports/index.ts';
import {
  abortedReadHistory,
  corpusHistory,
  divergenceHistory,
  divergenceResult,
  elleResult,
  gSingleHistory,
  joinHistories,
  writeCheckedRun,
} from '../../testkit/checker-runs.ts';
import { XSS } from '../../testkit/synthetic-run.ts';
import { simulate } from '../../testkit/elle-sim.ts';
import { launchChromium, type Browser } from '../../testkit/chromium.ts';

// page.evaluate callbacks run in the page; the project compiles without the DOM lib.
declare const window: { __xss?: number };
declare const document: { getElementById(id: string): { scrollIntoView(): void } | null };
interface AttrLike {
  getAttribute(name: string): string | null;
}
interface RowLike {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}

const SCREENSHOTS = path.resolve('test-output/screenshots');
let root: string;
let browser: Browser;
let elleHistory: History;
const runs = { elle: '', corpus: '', divergence: '', simulated: '' };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-checker-views-'));
  // A G-single through a hostile key, and an aborted read (G1a): one cycle class, one list class.
  elleHistory = joinHistories(gSingleHistory(XSS), abortedReadHistory('<b>aborted</b>'));
  runs.elle = await writeCheckedRun(path.join(root, 'elle'), 'elle-g-single', elleHistory, [elleResult(elleHistory)]);
  const corpus = corpusHistory('si-without-g-single.edn');
  runs.corpus = await writeCheckedRun(path.join(root, 'corpus'), 'si-without-g-single.edn', corpus, [elleResult(corpus, ['repeatable-read'])]);
  // A store with no isolation at all: many anomaly classes, long cycles, every edge kind.
  const simulated = simulate({ seed: 7, mode: 'no-isolation', workload: 'list-append', txns: 2000, processes: 10, maxMops: 4, activeKeys: 6, maxWritesPerKey: 16, abortRate: 0.05 });
  runs.simulated = await writeCheckedRun(path.join(root, 'simulated'), 'simulated', simulated, [elleResult(simulated, ['strict-serializable'])]);
  const div = divergenceHistory(XSS);
  runs.divergence = await writeCheckedRun(path.join(root, 'divergence'), 'divergence', div, [divergenceResult(div)]);
  for (const dir of Object.values(runs)) await writeReport(dir);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

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
  // The Elle examples are drawn after the first paint.
  if (await page.locator('#elle').count()) await page.waitForSelector('#elle[data-built="true"]');
  return { page, errors };
}

describe('Elle view', () => {
  it('G-single: models ruled out, the cycle drawn with 3 nodes and 3 labelled edges, the proof beneath', async () => {
    const { page, errors } = await open(runs.elle);
    await page.click('.banner[data-checker="elle"] button.show-view');
    // The aborted read rules out read committed, and everything stronger with it.
    expect(await page.locator('.elle-not .ruled-out').allTextContents()).toEqual(['read-committed']);
    expect(await page.locator('.elle-not .ruled-out-also').allTextContents()).toEqual(expect.arrayContaining(['repeatable-read', 'snapshot-isolation', 'serializable']));
    expect(await page.locator('.elle-types .anomaly-chip').allTextContents()).toEqual(['G-single (1)', 'G1a (1)']);

    const gSingle = page.locator('.elle-class[data-anomaly="G-single"]');
    expect(await gSingle.locator('h3').textContent()).toBe('G-single 1 found');
    const graph = gSingle.locator('svg.elle-graph');
    expect(await graph.count()).toBe(1);
    expect(await graph.locator('.elle-node').count()).toBe(3);
    expect(await graph.locator('.elle-node text').allTextContents()).toEqual(['T1', 'T2', 'T3']);
    const edges = graph.locator('.elle-edge');
    expect(await edges.count()).toBe(3);
    const drawn = await edges.evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute('data-from'), n.getAttribute('data-to'), n.getAttribute('data-kind'), n.querySelector('text')!.textContent]),
    );
    // The hostile key, quoted as Elle prints it, is cut to fit the label and stays text.
    expect(drawn).toEqual([
      ['T1', 'T2', 'wr', 'wr x'],
      ['T2', 'T3', 'wr', 'wr ' + JSON.stringify(XSS).slice(0, 13) + '…'],
      ['T3', 'T1', 'rw', 'rw x'],
    ]);
    const explanation = await gSingle.locator('.elle-explanation').textContent();
    expect(explanation).toContain('T3 < T1 because T3 read key x = nil (the initial state) and so did not observe T1\'s append of 1 to key x: a contradiction.');
    expect(explanation).toContain(XSS.replace(/"/g, '\\"')); // the key as Elle prints it, escaped quotes and all
    await gSingle.screenshot({ path: path.join(SCREENSHOTS, 'report-elle-g-single.png') });

    // Clicking T2 in the graph opens its op record: the history's completion line of that transaction.
    await graph.locator('.elle-node[data-txn="T2"]').click();
    const id = await graph.locator('.elle-node[data-txn="T2"]').getAttribute('data-op');
    await page.waitForSelector(`#record[data-op="${id}"]`);
    const completion = JSON.parse((await page.textContent('#record-completion'))!) as Op;
    expect(completion.value).toEqual([['r', 'x', [1]], ['append', XSS, 1]]);
    expect(completion).toEqual(elleHistory[completion.index]);

    // The aborted read is a list: its explanation, its key as a fact, and both transactions openable.
    const g1a = page.locator('.elle-class[data-anomaly="G1a"]');
    expect(await g1a.locator('svg').count()).toBe(0);
    expect(await g1a.locator('.elle-explanation').textContent()).toMatch(/T2 read T1's append of 9 to key "<b>aborted<\/b>", but T1 failed: an aborted read\.$/);
    expect(await g1a.locator('.elle-facts').textContent()).toBe('key: "<b>aborted</b>" · value: 9');
    await g1a.locator('button.txn-link[data-txn="T1"]').click();
    const failed = JSON.parse((await page.textContent('#record-completion'))!) as Op;
    expect([failed.type, failed.error]).toEqual(['fail', 'aborted']);

    // Hostile data stayed text: no element came from it, no script ran.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#elle b').allTextContents()).toEqual([]);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.locator('#elle').screenshot({ path: path.join(SCREENSHOTS, 'report-elle.png') });
    await page.close();
  });

  it("Elle's corpus history: each G2-item cycle drawn with as many nodes and edges as its proof names", async () => {
    const { page, errors } = await open(runs.corpus);
    expect(await page.locator('.elle-not .ruled-out').allTextContents()).toEqual(['repeatable-read']);
    const examples = page.locator('.elle-class[data-anomaly="G2-item"] .elle-cycle');
    expect(await examples.count()).toBeGreaterThan(0);
    for (const example of await examples.all()) {
      const proof = (await example.locator('.elle-explanation').textContent())!;
      const named = new Set(proof.match(/\bT\d+ = /g)).size;
      const claims = proof.match(/T\d+ < T\d+ because/g)!.length;
      expect(await example.locator('.elle-node').count()).toBe(named);
      expect(await example.locator('.elle-edge').count()).toBe(claims);
      expect(await example.locator('.elle-edge[data-kind="rw"]').count()).toBeGreaterThanOrEqual(2);
    }
    expect(await page.locator('.elle-class[data-anomaly="G2-item"] .elle-explanation').first().textContent()).toMatch(/^Let T1 = \{:index \d+, .*: a contradiction\.$/);
    expect(errors).toEqual([]);
    await page.locator('#elle').screenshot({ path: path.join(SCREENSHOTS, 'report-elle-corpus.png') });
    await page.close();
  });

  it('a store without isolation: every class listed, every drawn cycle matches its proof', async () => {
    const { page, errors } = await open(runs.simulated);
    const model = JSON.parse((await page.textContent('#report-model'))!) as { elle: Array<{ classes: Array<{ type: string }> }> };
    const types = model.elle[0].classes.map((k) => k.type);
    expect(types.length).toBeGreaterThan(5);
    expect(await page.locator('.elle-class').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-anomaly')))).toEqual(types);
    const examples = await page.locator('.elle-cycle').evaluateAll((nodes) =>
      nodes.map((n) => ({
        proof: n.querySelector('.elle-explanation')!.textContent!,
        nodes: n.querySelectorAll('.elle-node').length,
        edges: Array.from(n.querySelectorAll('.elle-edge'), (e) => `${(e as AttrLike).getAttribute('data-from')} < ${(e as AttrLike).getAttribute('data-to')}`),
      })),
    );
    expect(examples.length).toBeGreaterThan(10);
    for (const x of examples) {
      expect(x.nodes).toBe(new Set(x.proof.match(/\bT\d+ = /g)).size);
      // Each arrow is one claim of the proof, in the proof's order.
      expect(x.edges).toEqual(x.proof.match(/T\d+ < T\d+(?= because)/g));
    }
    expect(errors).toEqual([]);
    // The section's first screen, and the example with the longest cycle.
    await page.evaluate(() => document.getElementById('elle')!.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-elle-simulated.png') });
    const longest = examples.reduce((best, x, i) => (x.nodes > examples[best].nodes ? i : best), 0);
    await page.locator('.elle-cycle').nth(longest).screenshot({ path: path.join(SCREENSHOTS, 'report-elle-longest-cycle.png') });
    await page.close();
  });

  it('a report without an elle or divergence result builds neither view', async () => {
    const { page } = await open(runs.divergence);
    expect(await page.locator('#elle').count()).toBe(0);
    await page.close();
    const other = await open(runs.elle);
    expect(await other.page.locator('#divergence').count()).toBe(0);
    await other.page.close();
  });
});

describe('divergence view', () => {
  it('one row per node, the divergent one highlighted with its differing keys as text', async () => {
    const { page, errors } = await open(runs.divergence);
    expect(await page.textContent('.banner[data-checker="divergence"]')).toContain('replicas diverged at index 120');
    await page.click('.banner[data-checker="divergence"] button.show-view');
    const rows = await page.locator('table.divergence tr.div-row').evaluateAll((trs) => trs.map((tr) => Array.from((tr as unknown as RowLike).querySelectorAll('td'), (td) => td.textContent)));
    expect(rows).toEqual([
      ['n1', '120', 'h-5f1e', 'reference (majority)'],
      ['n2', '120', 'h-9a0c', 'DIVERGED'],
      ['n3', '120', 'h-5f1e', 'agrees'],
    ]);
    expect(await page.locator('tr.div-divergent').getAttribute('data-node')).toBe('n2');
    const keys = await page.locator('tr.div-key').evaluateAll((trs) => trs.map((tr) => Array.from((tr as unknown as RowLike).querySelectorAll('td'), (td) => td.textContent)));
    expect(keys).toEqual([
      [XSS, JSON.stringify(XSS), 'absent'],
      ['b', '"7"', '"2"'],
    ]);
    // The divergent node opens its state-hash op.
    await page.click('tr.div-divergent button.txn-link');
    await page.waitForSelector('#record[data-op]');
    expect(JSON.parse((await page.textContent('#record-completion'))!)).toMatchObject({ f: 'state-hash', node: 'n2', value: { hash: 'h-9a0c' } });
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.locator('#divergence').screenshot({ path: path.join(SCREENSHOTS, 'report-divergence.png') });
    await page.close();
  });
});
