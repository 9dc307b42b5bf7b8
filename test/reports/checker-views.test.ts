// What the report embeds for the Elle and divergence checkers: real checker
// results shaped into views, transactions linked to the report's op records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport } from '../../reports/index.ts';
import { anomalyMeaning, elleViews } from '../../reports/elle-view.ts';
import { divergenceViews } from '../../reports/divergence-view.ts';
import { pairOperations } from '../../reports/operations.ts';
import type { History } from '../../history/op.ts';
import type { StateReport } from '../../checkers/divergence.ts';
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
import { writeSyntheticRun, XSS } from '../../testkit/synthetic-run.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-checker-views-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** History index -> operation id, as the report numbers operations. */
function idsOf(history: History): (index: number) => number {
  const ids = new Map<number, number>();
  for (const op of pairOperations(history).operations) {
    ids.set(op.invokeIndex, op.id);
    if (op.completeIndex >= 0) ids.set(op.completeIndex, op.id);
  }
  return (index) => ids.get(index) ?? -1;
}

describe('elleViews', () => {
  it('a G-single: three transactions, three steps in proof order, each linked to its operation', () => {
    const history = gSingleHistory('y');
    const [view] = elleViews([elleResult(history)], idsOf(history));
    expect(view).toMatchObject({ checker: 'elle', resultIndex: 0, valid: false, workload: 'list-append', consistencyModels: ['serializable'] });
    expect(view.not).toEqual(['repeatable-read', 'snapshot-isolation']);
    expect(view.alsoNot).toContain('serializable');
    expect(view.classes.map((k) => [k.type, k.count])).toEqual([['G-single', 1]]);
    expect(view.classes[0].meaning).toMatch(/exactly one anti-dependency/);
    const [x] = view.classes[0].examples;
    expect(x.txns.map((t) => [t.name, t.index, t.process, t.type, t.ops])).toEqual([
      ['T1', 5, '0', 'ok', '[:append x 1]'],
      ['T2', 7, '1', 'ok', '[:r x [1]] [:append y 1]'],
      ['T3', 9, '2', 'ok', '[:r y [1]] [:r x nil]'],
    ]);
    // Operations are numbered in invoke order: two warm-up transactions come first.
    expect(x.txns.map((t) => t.id)).toEqual([2, 3, 4]);
    expect(x.cycle!.map((e) => [e.from, e.to, e.kind, e.key])).toEqual([
      [0, 1, 'wr', 'x'],
      [1, 2, 'wr', 'y'],
      [2, 0, 'rw', 'x'],
    ]);
    expect(x.explanation).toMatch(/^Let T1 = \{:index 5, .*T3 < T1 because T3 read key x = nil .*: a contradiction\.$/);
    expect(x.facts).toEqual([]);
  });

  it('non-cycle anomalies keep their evidence as text facts; hostile keys stay plain strings', () => {
    const history = abortedReadHistory();
    const [view] = elleViews([elleResult(history)], idsOf(history));
    const [k] = view.classes;
    expect(k.type).toBe('G1a');
    expect(k.meaning).toMatch(/^aborted read/);
    const [x] = k.examples;
    expect(x.cycle).toBeNull();
    expect(x.facts).toEqual([['key', JSON.stringify(XSS)], ['value', '9']]);
    expect(x.txns.map((t) => [t.name, t.type, t.id])).toEqual([['T1', 'fail', 0], ['T2', 'ok', 1]]);
    expect(x.explanation).toContain("but T1 failed: an aborted read");
  });

  it('Elle\'s corpus history: G2-item 2-cycles of rw edges', () => {
    const history = corpusHistory('si-without-g-single.edn');
    const [view] = elleViews([elleResult(history, ['repeatable-read'])], idsOf(history));
    expect(view.not).toEqual(['repeatable-read']);
    const g2 = view.classes.find((k) => k.type === 'G2-item')!;
    expect(g2.examples.length).toBeGreaterThan(0);
    for (const x of g2.examples) {
      expect(x.cycle!.length).toBe(x.txns.length);
      expect(x.cycle!.filter((e) => e.kind === 'rw').length).toBeGreaterThanOrEqual(2);
      // The corpus's indexes are sparse (10, 11, 20, ...): every transaction still finds its op.
      expect(x.txns.every((t) => t.id >= 0)).toBe(true);
    }
  });

  it('other checkers, and elle results without details, give no view', () => {
    expect(elleViews([{ checker: 'linearizability', valid: true, summary: '' }, { checker: 'elle', valid: 'unknown', summary: 'timed out' }], () => -1)).toEqual([]);
  });

  it('a transaction the history lacks is drawn but not linked', () => {
    const history = gSingleHistory('y');
    const [view] = elleViews([elleResult(history)], () => -1);
    expect(view.classes[0].examples[0].txns.every((t) => t.id === -1)).toBe(true);
  });

  it('names -process and -realtime variants by their base class', () => {
    expect(anomalyMeaning('G-single-realtime')).toMatch(/^read skew.*real-time edge/);
    expect(anomalyMeaning('G0-process')).toMatch(/^write cycle.*process-order edge/);
    expect(anomalyMeaning('something-new')).toBe('');
  });
});

describe('divergenceViews', () => {
  it('one row per node: the reference, who agrees, who diverged and on which keys', () => {
    const history = divergenceHistory('k<b>');
    const result = divergenceResult(history);
    const [view] = divergenceViews([{ checker: 'perf', valid: true, summary: '' }, result], idsOf(history));
    expect(view).toMatchObject({ resultIndex: 1, valid: false, commonIndex: 120, referenceHash: 'h-5f1e', referenceNode: 'n1' });
    expect(view.rows.map((r) => [r.node, r.index, r.hash, r.status, r.id])).toEqual([
      ['n1', 120, 'h-5f1e', 'reference', -1],
      ['n2', 120, 'h-9a0c', 'divergent', 2],
      ['n3', 120, 'h-5f1e', 'agrees', -1],
    ]);
    expect(view.rows[1].differingKeys).toEqual([
      { key: 'b', reference: '2', member: '7' },
      { key: 'k<b>', reference: null, member: XSS },
    ]);
  });

  it('a node that could not report is listed with the reason', () => {
    const history = divergenceHistory();
    const result = divergenceResult(history.slice(0, -2)); // n3's report never arrived
    const [view] = divergenceViews([result], idsOf(history));
    expect(view.rows.map((r) => [r.node, r.status])).toEqual([['n1', 'reference'], ['n2', 'divergent'], ['n3', 'missing']]);
    expect(view.rows[2].reason).toBe('no state-hash op');
  });
});

describe('loadReport', () => {
  it('carries the first earlier divergence of the hash histories, even when the final hashes agree', () => {
    const history = divergenceHistory().map((op) => {
      const r = op.value as StateReport | null;
      if (op.f !== 'state-hash' || op.type !== 'ok' || !r) return op;
      return { ...op, value: { ...r, hash: 'h-5f1e', history: [[110, r.node === 'n2' ? 'h-bad' : 'h-110'], [120, 'h-5f1e']] } };
    });
    const [view] = divergenceViews([divergenceResult(history)], (i) => i);
    expect(view.valid).toBe(false);
    expect(view.rows.every((r) => r.status !== 'divergent')).toBe(true);
    expect(view.earlier).toEqual({ index: 110, reference: { hash: 'h-110', members: ['n1', 'n3'] }, divergent: [{ node: 'n2', hash: 'h-bad' }] });
  });

  it('embeds the Elle and divergence views only when those checkers ran', async () => {
    const elleHistory = joinHistories(gSingleHistory(), abortedReadHistory('<b>aborted</b>'));
    const dir = await writeCheckedRun(path.join(root, 'elle'), 'elle', elleHistory, [elleResult(elleHistory)]);
    const { model } = await loadReport(dir);
    expect(model.elle.map((v) => v.classes.map((k) => k.type))).toEqual([['G-single', 'G1a']]);
    expect(model.divergence).toEqual([]);

    const divHistory = divergenceHistory();
    const divDir = await writeCheckedRun(path.join(root, 'divergence'), 'divergence', divHistory, [divergenceResult(divHistory)]);
    const div = (await loadReport(divDir)).model;
    expect(div.elle).toEqual([]);
    expect(div.divergence[0].rows.find((r) => r.status === 'divergent')!.id).toBe(2);

    const plain = path.join(root, 'plain');
    await writeSyntheticRun(plain, { ops: 50 });
    const none = (await loadReport(plain)).model;
    expect([none.elle, none.divergence]).toEqual([[], []]);
  });
});
