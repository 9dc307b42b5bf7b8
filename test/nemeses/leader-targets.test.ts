// A DB that cannot tell who leads (a defined system without a leader probe):
// leader-aimed variants drop out of a kind named whole, and are refused when
// named on their own, before the run.
import { describe, expect, it } from 'vitest';
import { nemesisPlan, resolveNemeses } from '../../nemeses/index.ts';
import { assertLeaderKnown, leaderTargetsFor } from '../../nemeses/leader-targets.ts';

const blind = { name: 'mykv', leaderUnknown: true };
const seeing = { name: 'etcd' };

describe('leader-aimed faults', () => {
  it('a kind named whole keeps its other variants', () => {
    const names = ['kill', 'partition'];
    const kept = leaderTargetsFor(names, resolveNemeses(names), blind).map((c) => `${c.kind}-${c.variant}`);
    expect(kept).not.toContain('kill-leader');
    expect(kept).not.toContain('partition-leader');
    expect(kept).toEqual(expect.arrayContaining(['kill-one', 'kill-minority', 'partition-halves', 'partition-one-way']));
  });

  it('a leader variant named on its own is refused, saying why and what to do', () => {
    expect(() => leaderTargetsFor(['pause-leader'], resolveNemeses(['pause-leader']), blind)).toThrow(/--nemesis pause-leader is aimed at the leader, but mykv cannot tell which node leads/);
    expect(() => nemesisPlan(['kill-leader'], { intervalS: 1, db: blind })).toThrow(/has no `leader` probe/);
  });

  it('a DB that knows its leader keeps everything', () => {
    expect(leaderTargetsFor(['kill'], resolveNemeses(['kill']), seeing).map((c) => c.variant)).toContain('leader');
    expect(() => assertLeaderKnown(resolveNemeses(['kill-leader']), seeing)).not.toThrow();
    expect(() => assertLeaderKnown(resolveNemeses(['kill-leader']), blind)).toThrow(/kill-leader is aimed at the leader/);
  });
});
