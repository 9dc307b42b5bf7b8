import { describe, expect, it } from 'vitest';
import { Sim, seededRandom } from '../../testkit/raft-sim.ts';
import type { Message } from '../../raftkv/raft/messages.ts';

/** Every live node's log, as [index, term] pairs from `from` on. */
function logs(sim: Sim, from = 1): Map<string, string> {
  return new Map(sim.ids.map((id) => [id, JSON.stringify(sim.node(id).entries(from).map((e) => [e.index, e.term]))]));
}

function converged(sim: Sim): boolean {
  const statuses = sim.ids.map((id) => sim.nodes.get(id)?.status());
  if (statuses.some((s) => !s)) return false;
  const applied = statuses.map((s) => s!.appliedIndex);
  return applied.every((a) => a === statuses[0]!.lastIndex) && statuses.every((s) => s!.lastIndex === statuses[0]!.lastIndex);
}

describe('raft core: replication', () => {
  it('a leader cut off in a minority cannot commit; the majority overwrites its entries after healing', () => {
    const sim = new Sim({ nodes: 5, seed: 11 });
    sim.put('a', 1);
    const old = sim.leader()!;
    const buddy = sim.ids.find((id) => id !== old)!;
    const rest = sim.ids.filter((id) => id !== old && id !== buddy);
    sim.partition([old, buddy], rest);
    const commitBefore = sim.node(old).status().commitIndex;
    for (let i = 0; i < 5; i++) sim.propose(old, { op: 'put', key: 'lost', value: i });
    sim.run(300);
    // Commit rule: two of five copies are not a quorum.
    expect(sim.node(old).status().commitIndex).toBe(commitBefore);
    expect(sim.node(buddy).status().lastIndex).toBeGreaterThan(commitBefore);
    const fresh = sim.waitForLeader(rest);
    expect(rest).toContain(fresh);
    sim.put('b', 2);
    sim.heal();
    expect(sim.runUntil(() => converged(sim))).toBe(true);
    // Log matching: every log is the same, and the minority's entries are gone.
    expect(new Set(logs(sim).values()).size).toBe(1);
    for (const id of sim.ids) {
      expect(sim.kvs.get(id)!.get('lost')).toBeUndefined();
      expect(sim.kvs.get(id)!.get('b')).toBe(2);
    }
    expect(sim.violations).toEqual([]);
  });

  it('fast back-off repairs a long conflicting suffix in a few round trips', () => {
    const sim = new Sim({ nodes: 3, seed: 5, maxEntriesPerAppend: 1000 });
    sim.put('x', 0);
    const old = sim.leader()!;
    const [f1, f2] = sim.ids.filter((id) => id !== old);
    sim.partition([old], [f1, f2]);
    for (let i = 0; i < 200; i++) sim.propose(old, { op: 'put', key: 'stale', value: i });
    sim.waitForLeader([f1, f2]);
    for (let i = 0; i < 50; i++) sim.put('fresh', i);
    let rejections = 0;
    sim.filter = (m: Message) => {
      if (m.type === 'append-reply' && !m.success && m.from === old) rejections++;
      return m;
    };
    sim.heal();
    expect(sim.runUntil(() => converged(sim))).toBe(true);
    expect(new Set(logs(sim).values()).size).toBe(1);
    // Entry-by-entry back-off would need ~200 rejections.
    expect(rejections).toBeLessThanOrEqual(4);
  });

  it('chaos: partitions, crashes and proposals keep every safety property, and the cluster converges', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = seededRandom(seed);
      const sim = new Sim({ nodes: 5, seed, latency: [1, 20], snapshotEvery: seed % 2 ? 25 : 0 });
      let value = 0;
      for (let round = 0; round < 15; round++) {
        const shuffled = [...sim.ids].sort(() => random() - 0.5);
        if (random() < 0.7) sim.partition(shuffled.slice(0, 2), shuffled.slice(2));
        else sim.heal();
        for (let t = 0; t < 300; t += 10) {
          const target = sim.ids[Math.floor(random() * 5)];
          if (sim.nodes.get(target)) sim.propose(target, { op: 'txn', ops: [['append', `k${value % 3}`, value++]] });
          sim.run(10);
        }
        if (random() < 0.3) {
          const victim = shuffled[4];
          sim.crash(victim);
          sim.run(Math.floor(random() * 200));
          sim.restart(victim);
        }
      }
      sim.heal();
      sim.waitForLeader();
      sim.put('final', seed);
      expect(sim.runUntil(() => converged(sim), 10_000), `seed ${seed} converges`).toBe(true);
      expect(sim.violations, `seed ${seed}`).toEqual([]);
      const hashes = new Set(sim.ids.map((id) => sim.kvs.get(id)!.hash()));
      expect(hashes.size, `seed ${seed} state hashes`).toBe(1);
    }
  });
});
