import { describe, expect, it } from 'vitest';
import { checkSet, type SetDetails } from '../../checkers/invariants/index.ts';
import { HistoryBuilder } from './history-builder.ts';

const details = (r: ReturnType<typeof checkSet>) => r.details as SetDetails;

describe('set checker', () => {
  it('valid: every ok add in the final read; info adds either way; failed adds absent', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 0, 'ok');
    h.op(1, 'add', 1, 'ok');
    h.op(2, 'add', 2, 'info'); // recovered below
    h.op(3, 'add', 3, 'info'); // absent below
    h.op(4, 'add', 4, 'fail');
    h.op(5, 'read', null, 'ok', [0, 1, 2]);
    h.op(6, 'read', null, 'ok', [0, 1, 2]);
    const r = checkSet(h.ops);
    expect(r.valid).toBe(true);
    expect(details(r)).toMatchObject({ attempted: 5, ok: 2, fail: 1, info: 2, reads: 2, lost: 0, recoveredInfo: 1, absentInfo: 1, unexpected: 0, finalRead: 13 });
  });

  it('invalid: an ok add missing from the final read is lost', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 0, 'ok');
    h.op(0, 'add', 1, 'ok');
    h.op(1, 'read', null, 'ok', [0]);
    const r = checkSet(h.ops);
    expect(r.valid).toBe(false);
    expect(details(r)).toMatchObject({ lost: 1, lostExamples: [{ element: 1, addIndex: 2, knownSince: 3, knownBecause: 'ok add', missingFrom: 5 }] });
    expect(r.summary).toMatch(/lost 1 element.*1: known present since op 3/);
  });

  it('an add still in flight when the read began may be missing; one acknowledged before may not', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'add', 7);
    h.invoke(1, 'read');
    h.complete(0, 'ok');
    h.complete(1, 'ok', []);
    expect(checkSet(h.ops).valid).toBe(true);
    // Same, but the add completes before the read is invoked.
    const g = new HistoryBuilder();
    g.op(0, 'add', 7, 'ok');
    g.op(1, 'read', null, 'ok', []);
    expect(checkSet(g.ops).valid).toBe(false);
  });

  it('invalid: an info add seen by one read and gone from a later one is lost', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 5, 'info');
    h.op(1, 'read', null, 'ok', [5]);
    h.op(2, 'read', null, 'ok', []);
    const r = checkSet(h.ops);
    expect(r.valid).toBe(false);
    expect(details(r).lostExamples[0]).toMatchObject({ element: 5, knownBecause: 'read', knownSince: 3, missingFrom: 5 });
  });

  it('invalid: elements never added, or whose add failed, are unexpected', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 1, 'ok');
    h.op(0, 'add', 2, 'fail');
    h.op(1, 'read', null, 'ok', [1, 2, 99]);
    const r = checkSet(h.ops);
    expect(r.valid).toBe(false);
    expect(details(r).unexpected).toBe(2);
    expect(details(r).unexpectedExamples).toEqual([
      { element: 2, readIndex: 5, why: 'add failed', addIndex: 2 },
      { element: 99, readIndex: 5, why: 'never added' },
    ]);
  });

  it('unknown without any completed read; failed reads and nemesis ops are ignored', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 1, 'ok');
    h.op('nemesis', 'start-partition', null, 'info', { fault: 'partition', nodes: [] });
    h.op(1, 'read', null, 'fail', null);
    expect(checkSet(h.ops).valid).toBe('unknown');
  });

  it('unknown on a history that cannot be paired', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'add', 1);
    h.invoke(0, 'add', 2);
    expect(checkSet(h.ops)).toMatchObject({ valid: 'unknown', summary: expect.stringMatching(/cannot pair/) });
  });
});
