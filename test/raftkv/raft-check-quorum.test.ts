import { describe, expect, it } from 'vitest';
import { Sim } from '../../testkit/raft-sim.ts';

/** Distinct (term, leader) pairs seen while running, sampled every ms. */
function leaderChanges(sim: Sim, ms: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < ms; i++) {
    sim.run(1);
    const l = sim.leader();
    if (l) seen.add(`${sim.node(l).status().term}/${l}`);
  }
  return seen.size;
}

describe('raft core: check-quorum and pre-vote', () => {
  it('a leader that loses its quorum steps down', () => {
    const sim = new Sim({ nodes: 5, seed: 41 });
    const old = sim.waitForLeader();
    sim.isolate(old);
    sim.run(350); // a little over 3 election timeouts
    expect(sim.node(old).status().role).toBe('follower');
  });

  it('with no-prevote (so no check-quorum), an isolated leader believes it leads forever', () => {
    const sim = new Sim({ nodes: 5, seed: 41, bugs: ['no-prevote'] });
    const old = sim.waitForLeader();
    sim.isolate(old);
    sim.run(2_000);
    expect(sim.node(old).status().role).toBe('leader');
  });

  it('a node that hears nobody (one-way cut) cannot disrupt a healthy leader', () => {
    const sim = new Sim({ nodes: 5, seed: 42 });
    const leader = sim.waitForLeader();
    const deaf = sim.ids.find((id) => id !== leader)!;
    for (const id of sim.ids) if (id !== deaf) sim.cut(id, deaf);
    expect(leaderChanges(sim, 3_000)).toBe(1);
    expect(sim.leader()).toBe(leader);
  });

  it('with no-prevote, the same one-way cut keeps forcing elections', () => {
    const sim = new Sim({ nodes: 5, seed: 42, bugs: ['no-prevote'] });
    const leader = sim.waitForLeader();
    const deaf = sim.ids.find((id) => id !== leader)!;
    for (const id of sim.ids) if (id !== deaf) sim.cut(id, deaf);
    expect(leaderChanges(sim, 3_000)).toBeGreaterThan(5);
  });
});
