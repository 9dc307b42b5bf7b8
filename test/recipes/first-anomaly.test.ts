// Time to the first anomaly: the earliest op an invalid checker blames.
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
    expect(firstAnomaly([div, lin], history)).toEqual({ seconds: 4, checker: 'linearizability', fromEvidence: true });
  });

  it('falls back to the end of the history, and is undefined when everything is valid', () => {
    const bank: CheckResult = { checker: 'bank', valid: false, summary: '', details: {} };
    expect(firstAnomaly([bank], history)).toEqual({ seconds: 9, checker: 'bank', fromEvidence: false });
    expect(firstAnomaly([{ checker: 'set', valid: true, summary: '' }], history)).toBeUndefined();
  });
});
