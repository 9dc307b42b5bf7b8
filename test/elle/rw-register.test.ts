// Hand-written rw-register histories: what is inferred soundly, and what is not.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { checkRwRegister } from '../../checkers/elle/index.ts';
import type { ElleDetails } from '../../checkers/elle/index.ts';
import { history, historyInOrder } from './helpers.ts';

function check(ops: Op[], opts: Parameters<typeof checkRwRegister>[1] = {}) {
  const result = checkRwRegister(ops, opts);
  return { result, details: result.details as ElleDetails };
}

describe('rw-register', () => {
  it('write skew from the initial state: G2-item, allowed by snapshot isolation', () => {
    const ops = history([
      { value: [['r', 'x', null], ['w', 'y', 1]] },
      { value: [['r', 'y', null], ['w', 'x', 1]] },
    ]);
    const { result, details } = check(ops, { consistencyModels: ['snapshot-isolation'] });
    expect(details.workload).toBe('rw-register');
    expect(details.anomalyTypes).toEqual(['G2-item']);
    expect(result.valid).toBe(true);
    expect(details.anomalies['G2-item'][0].explanation).toContain('(the initial state) and so did not observe');
  });

  it('G1a, G1b and internal', () => {
    // One committed transaction: no dependency graph, which Elle names too.
    const g1a = check(history([{ value: [['w', 'x', 1]], type: 'fail' }, { value: [['r', 'x', 1]] }]));
    expect(g1a.details.anomalyTypes).toEqual(['G1a', 'empty-transaction-graph']);
    expect(g1a.details.not).toEqual(['read-committed']);
    expect(g1a.result.valid).toBe(false);
    const g1b = check(history([{ value: [['w', 'x', 1], ['w', 'x', 2]] }, { value: [['r', 'x', 1]] }]));
    expect(g1b.details.anomalyTypes).toContain('G1b');
    expect(g1b.details.not).toEqual(['read-committed']);
    expect(g1b.result.valid).toBe(false);
    const internal = check(history([{ value: [['w', 'x', 2]] }, { value: [['w', 'x', 1], ['r', 'x', 2]] }]));
    expect(internal.details.anomalyTypes).toContain('internal');
    expect(internal.details.not).toContain('snapshot-isolation');
    expect(internal.result.valid).toBe(false);
  });

  it('lost update: two read-modify-writes from the same version', () => {
    const { details } = check(history([{ value: [['r', 'x', null], ['w', 'x', 1]] }, { value: [['r', 'x', null], ['w', 'x', 2]] }]), {
      consistencyModels: ['snapshot-isolation'],
    });
    expect(details.anomalyTypes).toContain('lost-update');
  });

  it('lost update after a garbage read: still a lost update (the read shows what both built on)', () => {
    const ops = history([{ value: [['r', 'x', 99], ['w', 'x', 1]] }, { value: [['r', 'x', 99], ['w', 'x', 2]] }]);
    const { result, details } = check(ops, { consistencyModels: ['snapshot-isolation'] });
    expect(details.anomalyTypes).toEqual(expect.arrayContaining(['garbage-read', 'lost-update']));
    expect(details.anomalies['lost-update'][0].explanation).toMatch(/read key x = 99 and then wrote it/);
    expect(result.valid).toBe(false);
    // Asked for by name, it is named among the anomalies that fail the check.
    expect(check(ops, { consistencyModels: ['read-uncommitted'], anomalies: ['lost-update'] }).details.anomaliesFound).toEqual(['lost-update']);
  });

  it('lost update after an aborted read, and on a key whose versions are cyclic: still found', () => {
    const aborted = history([
      { value: [['w', 'x', 5]], type: 'fail' },
      { value: [['r', 'x', 5], ['w', 'x', 1]] },
      { value: [['r', 'x', 5], ['w', 'x', 2]] },
    ]);
    expect(check(aborted).details.anomalyTypes).toEqual(expect.arrayContaining(['G1a', 'lost-update']));
    // With wfr, read 8 then write 9 puts 8 < 9, and read 9 then write 8 puts 9 < 8: a cycle on x,
    // whose edges are then set aside; the two read-modify-writes of x = 1 remain a lost update.
    const cyclic = history([
      { value: [['w', 'x', 1]] },
      { value: [['r', 'x', 1], ['w', 'x', 5]] },
      { value: [['r', 'x', 1], ['w', 'x', 6]] },
      { value: [['r', 'x', 8], ['w', 'x', 9]] },
      { value: [['r', 'x', 9], ['w', 'x', 8]] },
    ]);
    const { details } = check(cyclic, { wfrKeys: true });
    expect(details.anomalyTypes).toEqual(expect.arrayContaining(['cyclic-versions', 'lost-update']));
  });

  it('stale read of the initial state after a completed write: G-single-realtime', () => {
    const { details } = check(history([{ value: [['w', 'x', 1]] }, { value: [['r', 'x', null]] }], 'sequential'));
    expect(details.anomalyTypes).toEqual(['G-single-realtime']);
  });

  it('says what it cannot infer; per-key linearizability orders blind writes when asked', () => {
    // T1 writes x=1 and completes; T2 writes x=2 and y=1; T3, concurrent with
    // T2, reads y=1 (T2's) but x=1: stale only if x=1 < x=2, which only the
    // real-time order of the two writes reveals.
    const ops: Op[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'txn', value: [['w', 'x', 1]] },
      { index: 1, time: 1, process: 0, type: 'ok', f: 'txn', value: [['w', 'x', 1]] },
      { index: 2, time: 2, process: 1, type: 'invoke', f: 'txn', value: [['w', 'x', 2], ['w', 'y', 1]] },
      { index: 3, time: 3, process: 2, type: 'invoke', f: 'txn', value: [['r', 'y', null], ['r', 'x', null]] },
      { index: 4, time: 4, process: 2, type: 'ok', f: 'txn', value: [['r', 'y', 1], ['r', 'x', 1]] },
      { index: 5, time: 5, process: 1, type: 'ok', f: 'txn', value: [['w', 'x', 2], ['w', 'y', 1]] },
    ];
    const plain = check(ops, { consistencyModels: ['serializable'] });
    expect(plain.result.valid).toBe(true);
    expect(plain.details.limits?.[0]).toMatch(/Writes nobody read stay unordered/);
    const lin = check(ops, { consistencyModels: ['serializable'], linearizableKeys: true });
    expect(lin.result.valid).toBe(false);
    expect(lin.details.anomalyTypes).toEqual(['G-single']);
    expect(lin.details.anomalies['G-single'][0].explanation).toContain('keys are linearizable');
  });

  describe('sequential keys (Elle\'s sequential-keys?): each process meets a key\'s versions in order', () => {
    // Process 0 writes x = 1, then x = 2 with y = 1. Process 1, concurrently,
    // reads y = 1 (the second transaction's) but x = 1: stale, if 1 < 2,
    // which only process 0's order says.
    const txns = [
      { value: [['w', 'x', 1]], process: 0 },
      { value: [['w', 'x', 2], ['w', 'y', 1]], process: 0 },
      { value: [['r', 'y', 1], ['r', 'x', 1]], process: 1 },
    ] as const;
    const ops = historyInOrder([...txns] as never, 'i0 c0 i1 i2 c2 c1');

    it('orders the versions a process wrote one after the other: G-single', () => {
      expect(check(ops, { consistencyModels: ['serializable'] }).result.valid).toBe(true);
      const { result, details } = check(ops, { consistencyModels: ['serializable'], sequentialKeys: true });
      expect(result.valid).toBe(false);
      expect(details.anomalyTypes).toEqual(['G-single']);
      expect(details.anomalies['G-single'][0].explanation).toContain('keys are sequentially consistent');
      expect(details.limits?.[0]).toMatch(/per-key process order/);
    });

    it('a process that reads the initial state after its own write: the key is not sequential (cyclic versions)', () => {
      const back = history([{ value: [['w', 'x', 1]], process: 0 }, { value: [['r', 'x', null]], process: 0 }], 'sequential');
      const { result, details } = check(back, { consistencyModels: ['serializable'], sequentialKeys: true });
      expect(details.anomalyTypes).toContain('cyclic-versions');
      expect(result.valid).toBe(false);
    });

    it('an info transaction orders nothing after it: its write may land any time, or never', () => {
      // Process 0: x = 1 committed, then x = 2 with an unknown outcome (it never
      // took effect), then a read of x = 1. Valid: 2 simply did not happen.
      const info = history(
        [
          { value: [['w', 'x', 1]], process: 0 },
          { value: [['w', 'x', 2]], process: 0, type: 'info' },
          { value: [['r', 'x', 1]], process: 0 },
        ],
        'sequential',
      );
      const { result, details } = check(info, { consistencyModels: ['strict-serializable'], sequentialKeys: true, linearizableKeys: true, wfrKeys: true });
      expect(details.anomalyTypes).toEqual([]);
      expect(result.valid).toBe(true);
    });
  });
});
