import { describe, expect, it } from 'vitest';
import { KvState, canonical } from '../../raftkv/kv-state.ts';

describe('raftkv state machine', () => {
  it('put, cas (match and mismatch), delete', () => {
    const kv = new KvState();
    expect(kv.apply(1, { op: 'put', key: 'a', value: 1 })).toEqual({ ok: true });
    expect(kv.apply(2, { op: 'cas', key: 'a', from: 2, to: 3 })).toEqual({ ok: false, error: 'cas-mismatch', value: 1 });
    expect(kv.apply(3, { op: 'cas', key: 'a', from: 1, to: 3 })).toEqual({ ok: true });
    expect(kv.get('a')).toBe(3);
    expect(kv.apply(4, { op: 'delete', key: 'a' })).toEqual({ ok: true, value: 3 });
    expect(kv.get('a')).toBeUndefined();
    expect(kv.applied).toBe(4);
  });

  it('transactions see their own writes and are all-or-nothing', () => {
    const kv = new KvState();
    const r = kv.apply(1, { op: 'txn', ops: [['append', 'l', 1], ['w', 'x', 'v'], ['r', 'l', null], ['append', 'l', 2], ['r', 'x', null]] });
    expect(r).toEqual({ ok: true, ops: [['append', 'l', 1], ['w', 'x', 'v'], ['r', 'l', [1]], ['append', 'l', 2], ['r', 'x', 'v']] });
    const before = kv.hash();
    const bad = kv.apply(2, { op: 'txn', ops: [['append', 'l', 3], ['append', 'x', 4]] }); // x is not a list
    expect(bad).toMatchObject({ ok: false, error: 'type-error' });
    expect(kv.get('l')).toEqual([1, 2]);
    expect(kv.hash()).toBe(before);
  });

  it('the state hash depends on contents only, and is kept per applied index', () => {
    const a = new KvState();
    const b = new KvState();
    a.apply(1, { op: 'put', key: 'x', value: { p: 1, q: [2] } });
    a.apply(2, { op: 'put', key: 'y', value: 2 });
    b.apply(1, { op: 'put', key: 'y', value: 2 });
    b.apply(2, { op: 'put', key: 'x', value: { q: [2], p: 1 } });
    expect(a.hash()).toBe(b.hash());
    expect(a.hashAt(1)).not.toBe(a.hashAt(2));
    b.apply(3, { op: 'put', key: 'y', value: 3 });
    expect(b.hash()).not.toBe(a.hash());
    const c = new KvState();
    c.restore(a.serialize(), 2);
    expect(c.hashAt(2)).toBe(a.hashAt(2));
    expect(canonical({ b: 1, a: [null, 'x'] })).toBe('{"a":[null,"x"],"b":1}');
  });
});
