// Hand-written rw-register histories: what is inferred soundly, and what is not.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { checkRwRegister } from '../../checkers/elle/index.ts';
import type { ElleDetails } from '../../checkers/elle/index.ts';
import { history } from './helpers.ts';

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
    const g1a = check(history([{ value: [['w', 'x', 1]], type: 'fail' }, { value: [['r', 'x', 1]] }]));
    expect(g1a.details.anomalyTypes).toEqual(['G1a']);
    const g1b = check(history([{ value: [['w', 'x', 1], ['w', 'x', 2]] }, { value: [['r', 'x', 1]] }]));
    expect(g1b.details.anomalyTypes).toContain('G1b');
    const internal = check(history([{ value: [['w', 'x', 2]] }, { value: [['w', 'x', 1], ['r', 'x', 2]] }]));
    expect(internal.details.anomalyTypes).toContain('internal');
  });

  it('lost update: two read-modify-writes from the same version', () => {
    const { details } = check(history([{ value: [['r', 'x', null], ['w', 'x', 1]] }, { value: [['r', 'x', null], ['w', 'x', 2]] }]), {
      consistencyModels: ['snapshot-isolation'],
    });
    expect(details.anomalyTypes).toContain('lost-update');
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
});
