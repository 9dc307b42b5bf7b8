import { describe, expect, it } from 'vitest';
import { Sim, seededRandom } from '../../testkit/raft-sim.ts';

describe('raft core: elections', () => {
  it('elects exactly one leader in a healthy cluster, and it stays', () => {
    const sim = new Sim({ nodes: 5, seed: 7 });
    const leader = sim.waitForLeader();
    const term = sim.node(leader).status().term;
    sim.run(2_000);
    expect(sim.leader()).toBe(leader);
    expect(sim.node(leader).status().term).toBe(term);
    for (const id of sim.ids) expect(sim.node(id).status().leader).toBe(leader);
    expect(sim.violations).toEqual([]);
  });

  it('never has two leaders in one term across partitions and crashes (many seeds)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const sim = new Sim({ nodes: 5, seed, latency: [1, 15] });
      const random = seededRandom(seed * 101);
      const rnd = (n: number) => Math.floor(random() * n);
      for (let round = 0; round < 12; round++) {
        const shuffled = [...sim.ids].sort(() => random() - 0.5);
        const cut = 1 + rnd(3);
        sim.partition(shuffled.slice(0, cut), shuffled.slice(cut));
        sim.run(150 + rnd(300));
        const leader = sim.leader();
        if (leader) sim.propose(leader, { op: 'put', key: `k${round}`, value: round });
        if (round % 4 === 3) {
          const victim = sim.ids[rnd(5)];
          sim.crash(victim);
          sim.run(100);
          sim.restart(victim);
        }
      }
      sim.heal();
      sim.waitForLeader();
      expect(sim.violations, `seed ${seed}`).toEqual([]);
    }
  });

  it('a restarted node remembers its vote (no second vote in the same term)', () => {
    const sim = new Sim({ nodes: 3, seed: 3 });
    const leader = sim.waitForLeader();
    const follower = sim.ids.find((id) => id !== leader)!;
    const before = sim.disks.get(follower)!.hardState!;
    sim.crash(follower);
    sim.restart(follower);
    expect(sim.node(follower).status().term).toBe(before.term);
    expect(sim.disks.get(follower)!.hardState!.votedFor).toBe(before.votedFor);
  });
});
