// Time to the first anomaly: when the earliest anomaly became certain (a return), not when a blamed op was invoked.
import { describe, expect, it } from 'vitest';
import { blamedOps, firstAnomaly } from '../../cli/recipes/index.ts';
import type { CheckResult } from '../../checkers/result.ts';
import type { Op } from '../../history/op.ts';

const history: Op[] = Array.from({ length: 10 }, (_, i) => ({ index: i, time: 1e9 + i * 1e9, process: 0, type: i % 2 ? 'ok' : 'invoke', f: 'read', value: null }));

describe('first anomaly', () => {
  it('takes the earliest blamed op across invalid checkers', () => {
    const lin: CheckResult = {
      checker: 'linearizability',
      valid: false,
      summary: '',
      details: { partitions: [{ counterexample: { blockingOp: 6, stuck: [{ op: 6 }] } }, { counterexample: { blockingOp: null, stuck: [{ op: 4 }] } }] },
    };
    const div: CheckResult = { checker: 'divergence', valid: false, summary: '', details: { divergent: [{ op: 8 }] } };
    expect(blamedOps(lin)).toEqual([6, 6, 4]);
    expect(blamedOps(div)).toEqual([8]);
    // Key 1: op 6 blocks, it returned at op 7 (8 s in); key 2: none blocks, stuck op 4 returned at op 5 (6 s in): the earlier.
    expect(firstAnomaly([div, lin], history)).toEqual({ seconds: 5, checker: 'linearizability', fromEvidence: true });
    // The divergent state report returned at op 9 (10 s, 9 s after the first op).
    expect(firstAnomaly([div], history)).toEqual({ seconds: 9, checker: 'divergence', fromEvidence: true });
  });

  it('a mutex whose holders overlap goes wrong when the second acquire returns, not when the first was invoked', () => {
    const lock: Op[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'acquire', value: null },
      { index: 1, time: 1e9, process: 0, type: 'ok', f: 'acquire', value: null },
      { index: 2, time: 25e9, process: 1, type: 'invoke', f: 'acquire', value: null },
      { index: 3, time: 30e9, process: 1, type: 'ok', f: 'acquire', value: null },
    ];
    const mutex: CheckResult = { checker: 'linearizability', valid: false, summary: '', details: { partitions: [{ counterexample: { blockingOp: 2, stuck: [{ op: 2 }] } }] } };
    expect(firstAnomaly([mutex], lock)).toEqual({ seconds: 30, checker: 'linearizability', fromEvidence: true });
  });

  it('falls back to the end of the history, and is undefined when everything is valid', () => {
    const bank: CheckResult = { checker: 'bank', valid: false, summary: '', details: {} };
    expect(firstAnomaly([bank], history)).toEqual({ seconds: 9, checker: 'bank', fromEvidence: false });
    expect(firstAnomaly([{ checker: 'set', valid: true, summary: '' }], history)).toBeUndefined();
  });
});
