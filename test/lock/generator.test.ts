// The lock workload's schedule (pure, on a virtual clock): every worker
// alternates acquire and release, holding for the configured time, so a
// history shows each holder's interval from acquire to release.
import { describe, expect, it } from 'vitest';
import { simulate, seconds, ms } from '../../generator/index.ts';
import { lockGenerator } from '../../workloads/lock/index.ts';

describe('lock generator', () => {
  it('each worker alternates acquire / release with holds in range and rests between', () => {
    const ops = simulate(lockGenerator({ holdMs: [2500, 4500], restMs: [100, 600] }), { workers: [0, 1, 2], seed: 5, horizon: seconds(30), duration: ms(10) });
    for (const w of [0, 1, 2]) {
      const mine = ops.filter((o) => o.worker === w);
      expect(mine.length).toBeGreaterThanOrEqual(8);
      mine.forEach((o, i) => expect(o.f).toBe(i % 2 === 0 ? 'acquire' : 'release'));
      for (let i = 1; i < mine.length; i++) {
        const gap = (mine[i].start - mine[i - 1].end) / 1e6;
        if (mine[i].f === 'release') expect(gap).toBeGreaterThanOrEqual(2500 - 1);
        if (mine[i].f === 'release') expect(gap).toBeLessThanOrEqual(4500 + 1);
        if (mine[i].f === 'acquire') expect(gap).toBeLessThanOrEqual(600 + 1);
      }
    }
    // Seeded: the same seed gives the same schedule.
    const again = simulate(lockGenerator({ holdMs: [2500, 4500], restMs: [100, 600] }), { workers: [0, 1, 2], seed: 5, horizon: seconds(30), duration: ms(10) });
    expect(again.map((o) => [o.worker, o.f, o.start])).toEqual(ops.map((o) => [o.worker, o.f, o.start]));
  });
});
