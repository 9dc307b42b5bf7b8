import { describe, expect, it } from 'vitest';
import { checkCounter, type CounterDetails } from '../../checkers/invariants/index.ts';
import { HistoryBuilder } from './history-builder.ts';

const details = (r: ReturnType<typeof checkCounter>) => r.details as CounterDetails;

describe('counter checker', () => {
  it('valid: reads between acknowledged and attempted sums', () => {
    const h = new HistoryBuilder();
    h.op(0, 'read', null, 'ok', 0);
    h.op(0, 'add', 2, 'ok');
    h.invoke(1, 'add', 3); // concurrent with the read below
    h.op(0, 'read', null, 'ok', 5);
    h.complete(1, 'ok');
    h.op(2, 'add', 4, 'info'); // may or may not count
    h.op(2, 'add', 100, 'fail'); // never counts
    h.op(0, 'read', null, 'ok', 5);
    h.op(0, 'read', null, 'ok', 9);
    const r = checkCounter(h.ops);
    expect(r.valid).toBe(true);
    expect(details(r)).toMatchObject({ reads: 4, badReads: 0, adds: { ok: 2, fail: 1, info: 1 }, final: { lower: 5, upper: 9 } });
  });

  it('invalid: a read that misses an add acknowledged before it began', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 2, 'ok');
    h.op(1, 'read', null, 'ok', 0);
    const r = checkCounter(h.ops);
    expect(r.valid).toBe(false);
    expect(details(r).examples).toEqual([{ invokeIndex: 2, index: 3, value: 0, lower: 2, upper: 2 }]);
    expect(r.summary).toMatch(/read 0, below 2/);
  });

  it('invalid: a read above every attempted add (a failed add counted, or a duplicate apply)', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 2, 'ok');
    h.op(0, 'add', 3, 'fail');
    h.op(1, 'read', null, 'ok', 5);
    const r = checkCounter(h.ops);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/read 5, above 2/);
  });

  it('an add invoked after the read completed cannot be seen by it', () => {
    const h = new HistoryBuilder();
    h.op(1, 'read', null, 'ok', 4);
    h.op(0, 'add', 4, 'ok');
    expect(checkCounter(h.ops).valid).toBe(false);
  });

  it('honours the initial value; unknown without reads', () => {
    const h = new HistoryBuilder();
    h.op(0, 'add', 1, 'ok');
    h.op(1, 'read', null, 'ok', 11);
    expect(checkCounter(h.ops, { initial: 10 }).valid).toBe(true);
    expect(checkCounter(h.ops).valid).toBe(false);
    const g = new HistoryBuilder();
    g.op(0, 'add', 1, 'ok');
    expect(checkCounter(g.ops).valid).toBe('unknown');
  });
});
