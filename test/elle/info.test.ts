// Transactions with an unknown outcome ('info', or never answered): their
// writes may or may not have taken effect, their reads are unknown. Neither
// outcome is an anomaly; but once a write is seen, it happened.
import { describe, expect, it } from 'vitest';
import { check, history, historyInOrder, type T } from './helpers.ts';

const strict = { consistencyModels: ['strict-serializable'] };

describe('info transactions, list-append', () => {
  it('an info append that others read: valid, and the read depends on it', () => {
    const { result, details } = check(history([{ value: [['append', 'x', 1]], type: 'info' }, { value: [['r', 'x', [1]]] }], 'sequential'), strict);
    expect(result.valid).toBe(true);
    expect(details.anomalyTypes).toEqual([]);
    expect(details.stats.info).toBe(1);
    expect(details.stats.edges).toBeGreaterThan(0);
  });

  it('an info append nobody read: valid, where the same append acknowledged would be a stale read', () => {
    const txns = (type: T['type']): T[] => [{ value: [['append', 'x', 1]], type }, { value: [['append', 'x', 2]] }, { value: [['r', 'x', [2]]] }];
    const info = check(history(txns('info'), 'sequential'), strict);
    expect(info.result.valid).toBe(true);
    expect(info.details.anomalyTypes).toEqual([]);
    const ok = check(history(txns('ok'), 'sequential'), strict);
    expect(ok.result.valid).toBe(false);
  });

  it('the read results an info completion carries are not trusted (no garbage read from them)', () => {
    // The info completion carries a read of [9], which nobody appended: it must be ignored.
    const ops = history([{ value: [['r', 'x', [9]], ['append', 'y', 1]], type: 'info' }, { value: [['r', 'y', [1]]] }], 'sequential');
    expect(ops[1]).toMatchObject({ type: 'info', value: [['r', 'x', [9]], ['append', 'y', 1]] });
    const { result, details } = check(ops, strict);
    expect(details.anomalyTypes).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('a transaction never answered (invoked, no completion) is an info one', () => {
    const ops = historyInOrder([{ value: [['append', 'x', 1]] }, { value: [['append', 'x', 2]] }, { value: [['r', 'x', [2]]] }], 'i0 i1 c1 i2 c2');
    const { result, details } = check(ops, strict);
    expect(details.stats.info).toBe(1);
    expect(result.valid).toBe(true);
  });

  it('a seen info write is a fact: invoked after another append completed, it cannot come before it', () => {
    const ops = historyInOrder([{ value: [['append', 'x', 1]] }, { value: [['append', 'x', 2]], type: 'info' }, { value: [['r', 'x', [2, 1]]] }], 'i0 c0 i1 c1 i2 c2');
    const { result, details } = check(ops, strict);
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G0-realtime']);
  });
});

describe('info transactions, rw-register', () => {
  const options = [{}, { linearizableKeys: true }, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true }];

  it.each(options)('an info write read by another: valid (%o)', (opts) => {
    const { result, details } = check(history([{ value: [['w', 'x', 1]], type: 'info' }, { value: [['r', 'x', 1]] }], 'sequential'), { ...strict, ...opts });
    expect(details.anomalyTypes).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it.each(options)('an info write nobody read, and a later read of the initial state: valid (%o)', (opts) => {
    const txns = (type: T['type']): T[] => [{ value: [['w', 'x', 1]], type, process: 0 }, { value: [['r', 'x', null], ['w', 'y', 1]], process: 1 }, { value: [['r', 'y', 1]], process: 2 }];
    const info = check(history(txns('info'), 'sequential'), { ...strict, ...opts });
    expect(info.details.anomalyTypes).toEqual([]);
    expect(info.result.valid).toBe(true);
    // Acknowledged, the same write makes the read of nil stale.
    expect(check(history(txns('ok'), 'sequential'), { ...strict, ...opts }).result.valid).toBe(false);
  });

  it('a seen info write is a fact: a read of the initial state after that sighting is stale', () => {
    const ops = history([{ value: [['w', 'x', 1]], type: 'info' }, { value: [['r', 'x', 1]] }, { value: [['r', 'x', null]] }], 'sequential');
    const { result, details } = check(ops, strict);
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G-single-realtime']);
  });
});
