// The test suite's temp folder rule: a folder whose suite died before its
// teardown is removed by the next suite; a running suite's never is.
import { describe, expect, it } from 'vitest';
import { abandonedSuiteDirs } from '../../testkit/suite-tmpdir.ts';

const DAY = 24 * 3600 * 1000;

describe('abandoned suite folders', () => {
  it('are those of dead pids, and pid-less ones over a day old; a running suite and other folders are kept', () => {
    const alive = (pid: number) => pid === 100;
    const entries = [
      { name: 'faultline-tests-100-abc', ageMs: 5 * DAY },
      { name: 'faultline-tests-200-def', ageMs: 1000 },
      { name: 'faultline-tests-TVTjQ9', ageMs: 2 * DAY },
      { name: 'faultline-tests-Xy12ab', ageMs: 1000 },
      { name: 'faultline-store-123-x', ageMs: 5 * DAY },
      { name: 'other', ageMs: 5 * DAY },
    ];
    expect(abandonedSuiteDirs(entries, alive)).toEqual(['faultline-tests-200-def', 'faultline-tests-TVTjQ9']);
  });
});
