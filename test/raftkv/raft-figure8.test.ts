// The Raft paper's figure 8: a leader that commits an entry of an earlier
// term just by counting replicas can see that "committed" entry overwritten
// by a later leader. The scenario is played step by step on five nodes.
import { describe, expect, it } from 'vitest';
import { Sim } from '../../testkit/raft-sim.ts';
import type { BugName } from '../../raftkv/bugs.ts';

function figure8(bugs: BugName[]): { sim: Sim; index: number; committedOld: boolean } {
  // One entry per append, so a follower can hold the old entry without the new leader's no-op.
  const sim = new Sim({ nodes: 5, seed: 8, bugs, maxEntriesPerAppend: 1 });
  sim.put('init', 0);
  // (a) Leader A replicates entry X only to B.
  const a = sim.leader()!;
  const [b, ...others] = sim.ids.filter((id) => id !== a);
  sim.partition([a, b], others);
  const x = sim.propose(a, { op: 'put', key: 'x', value: 'from A' });
  if (!x.ok) throw new Error('A refused');
  sim.run(50);
  expect(sim.node(b).entries(x.index)[0]?.term).toBe(x.term);
  // (b) A crashes; another leader E wins in the majority side and appends its
  // no-op at X's index, but replicates nothing before crashing in turn.
  sim.crash(a);
  sim.partition([a], [b], others);
  sim.filter = (m) => (m.type === 'append' && others.includes(m.from) && m.entries.length > 0 ? undefined : m);
  const e = sim.waitForLeader(others);
  expect(sim.node(e).entries(x.index)[0]?.term).toBeGreaterThan(x.term);
  sim.crash(e);
  // (c) A restarts; A or B leads (their logs hold X), and replicates X to the
  // rest, but its own no-op (index X+1) never gets out.
  sim.restart(a);
  const [c, d] = others.filter((id) => id !== e);
  sim.partition([a, b, c, d], [e]);
  sim.filter = (m) => (m.type === 'append' && m.entries.some((en) => en.index > x.index) ? undefined : m);
  const l3 = sim.waitForLeader([a, b]);
  sim.runUntil(() => sim.node(c).entries(x.index)[0]?.term === x.term && sim.node(d).entries(x.index)[0]?.term === x.term);
  sim.run(100);
  const committedOld = sim.node(l3).status().commitIndex >= x.index;
  // (d) That leader crashes; E restarts and wins with C and D (its last term is newer).
  sim.crash(l3);
  sim.filter = undefined;
  sim.restart(e);
  const other = l3 === a ? b : a;
  sim.partition([other], [c, d, e]);
  sim.waitForLeader([e], 10_000);
  sim.runUntil(() => sim.ids.every((id) => (sim.nodes.get(id)?.status().appliedIndex ?? Infinity) > x.index), 2_000);
  return { sim, index: x.index, committedOld };
}

describe('raft core: figure 8 (commit only entries of the current term)', () => {
  it('with old-term-commit, a committed and applied entry is overwritten', () => {
    const { sim, committedOld } = figure8(['old-term-commit']);
    expect(committedOld).toBe(true);
    expect(sim.violations.length).toBeGreaterThan(0);
    expect(sim.violations[0]).toMatch(/applied term/);
  });

  it('without the bug, the old entry is never committed, so overwriting it is safe', () => {
    const { sim, committedOld } = figure8([]);
    expect(committedOld).toBe(false);
    expect(sim.violations).toEqual([]);
  });
});
