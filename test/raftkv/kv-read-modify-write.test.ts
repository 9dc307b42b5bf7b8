// The read-modify-write commands the counter and bank workloads rely on:
// applied in the log, so concurrent clients cannot lose each other's updates.
import { describe, expect, it } from 'vitest';
import { KvState } from '../../raftkv/kv-state.ts';

describe('raftkv add and transfer', () => {
  it('add counts from 0 and answers the new total; a non-number is a type error that changes nothing', () => {
    const kv = new KvState();
    expect(kv.apply(1, { op: 'add', key: 'c', delta: 3 })).toEqual({ ok: true, value: 3 });
    expect(kv.apply(2, { op: 'add', key: 'c', delta: 4 })).toEqual({ ok: true, value: 7 });
    kv.apply(3, { op: 'put', key: 's', value: 'x' });
    const before = kv.hash();
    expect(kv.apply(4, { op: 'add', key: 's', delta: 1 })).toMatchObject({ ok: false, error: 'type-error' });
    expect(kv.hash()).toBe(before);
    expect(kv.get('c')).toBe(7);
  });

  it('transfer moves money between fields of one object and refuses to overdraw', () => {
    const kv = new KvState();
    kv.apply(1, { op: 'cas', key: 'bank', from: null, to: { 0: 10, 1: 5 } });
    expect(kv.apply(2, { op: 'transfer', key: 'bank', from: '0', to: '1', amount: 4 })).toEqual({ ok: true });
    expect(kv.get('bank')).toEqual({ 0: 6, 1: 9 });
    const before = kv.hash();
    expect(kv.apply(3, { op: 'transfer', key: 'bank', from: '0', to: '1', amount: 7 })).toEqual({ ok: false, error: 'insufficient-funds', value: 6 });
    expect(kv.apply(4, { op: 'transfer', key: 'bank', from: '0', to: '9', amount: 1 })).toMatchObject({ ok: false, error: 'type-error' });
    expect(kv.apply(5, { op: 'transfer', key: 'bank', from: '0', to: '0', amount: 1 })).toMatchObject({ ok: false, error: 'type-error' });
    expect(kv.apply(6, { op: 'transfer', key: 'nope', from: '0', to: '1', amount: 1 })).toMatchObject({ ok: false, error: 'type-error' });
    expect(kv.hash()).toBe(before);
    expect(kv.applied).toBe(6);
  });

  it('replicas applying the same log agree, whatever the mix of commands', () => {
    const log = [
      { op: 'add', key: 'c', delta: 2 },
      { op: 'cas', key: 'bank', from: null, to: { a: 3, b: 0 } },
      { op: 'transfer', key: 'bank', from: 'a', to: 'b', amount: 2 },
      { op: 'transfer', key: 'bank', from: 'a', to: 'b', amount: 2 },
      { op: 'add', key: 'c', delta: -1 },
    ];
    const [x, y] = [new KvState(), new KvState()];
    log.forEach((c, i) => [x, y].forEach((kv) => kv.apply(i + 1, c)));
    expect(x.hash()).toBe(y.hash());
    expect(x.entries()).toEqual([['bank', { a: 1, b: 2 }], ['c', 1]]);
  });
});
