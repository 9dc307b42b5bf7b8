// The simulator's random fault schedules (sim-fuzz.ts), a few seeds each:
// the correct Raft stays clean, and planted bugs show, each through the
// check that should see it. Seeds are fixed, so each outcome is too.
import { describe, expect, it } from 'vitest';
import { fuzzOnce } from '../../testkit/raft-sim-fuzz.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('random fault schedules in the simulator', () => {
  it('the correct Raft: no safety violation and a linearizable client history in every schedule, with faults injected and ops made', () => {
    for (const seed of SEEDS) {
      const o = fuzzOnce(seed);
      expect(o.violations, `seed ${seed}`).toEqual([]);
      expect(o.linearizable, `seed ${seed}`).toBe(true);
      expect(o.acts).toBe(0);
      expect(o.faults).toBeGreaterThan(3);
      expect(o.ops).toBeGreaterThan(500);
    }
  });

  it('is deterministic per seed', () => {
    // A schedule with a safety violation: the linearizability search, the one part with a wall-clock cap, is skipped.
    const once = fuzzOnce(1, ['quorum-off-by-one']);
    expect(once.violations.length).toBeGreaterThan(0);
    expect(fuzzOnce(1, ['quorum-off-by-one'])).toEqual(once);
  });

  it('quorum-off-by-one: acts in every schedule and breaks a safety rule in some', () => {
    const outcomes = SEEDS.map((s) => fuzzOnce(s, ['quorum-off-by-one']));
    expect(outcomes.every((o) => o.acts > 0)).toBe(true);
    expect(outcomes.some((o) => o.violations.length > 0)).toBe(true);
  });

  it('read-index-before-own-commit: only a read can show it, and the client history check does (seed 11)', () => {
    const o = fuzzOnce(11, ['read-index-before-own-commit']);
    expect(o.acts).toBeGreaterThan(0);
    expect(o.violations).toEqual([]);
    expect(o.linearizable).toBe(false);
  });
});
