import { describe, expect, it } from 'vitest';
import { Sim } from '../../testkit/raft-sim.ts';
import type { BugName } from '../../raftkv/bugs.ts';
import type { SnapshotRequest } from '../../raftkv/raft/messages.ts';
import { firstEarlierDivergence } from '../../checkers/divergence.ts';

function countSnapshots(sim: Sim): () => number {
  let sent = 0;
  sim.filter = (m) => {
    if (m.type === 'snapshot') sent++;
    return m;
  };
  return () => sent;
}

function caughtUp(sim: Sim, id: string): boolean {
  const leader = sim.leader();
  return leader !== undefined && sim.node(id).status().appliedIndex === sim.node(leader).status().commitIndex;
}

describe('raft core: snapshots', () => {
  it('a lagging follower whose entries were compacted away is caught up by InstallSnapshot', () => {
    const sim = new Sim({ nodes: 3, seed: 21, snapshotEvery: 10 });
    sim.put('a', 0);
    const leader = sim.leader()!;
    const lagging = sim.ids.find((id) => id !== leader)!;
    sim.isolate(lagging);
    for (let i = 0; i < 40; i++) sim.put(`k${i}`, i);
    expect(sim.node(leader).status().snapshotIndex).toBeGreaterThan(sim.node(lagging).status().lastIndex);
    const snapshots = countSnapshots(sim);
    sim.heal();
    expect(sim.runUntil(() => caughtUp(sim, lagging))).toBe(true);
    expect(snapshots()).toBeGreaterThanOrEqual(1);
    expect(sim.kvs.get(lagging)!.get('k39')).toBe(39);
    expect(sim.kvs.get(lagging)!.hash()).toBe(sim.kvs.get(leader)!.hash());
  });

  it('a follower restarted from disk replays snapshot + log, then catches up by snapshot', () => {
    const sim = new Sim({ nodes: 3, seed: 22, snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) sim.put(`k${i}`, i);
    const leader = sim.leader()!;
    const victim = sim.ids.find((id) => id !== leader)!;
    sim.run(100);
    sim.crash(victim);
    for (let i = 25; i < 60; i++) sim.put(`k${i}`, i);
    const snapshots = countSnapshots(sim);
    sim.restart(victim);
    expect(sim.runUntil(() => caughtUp(sim, victim))).toBe(true);
    expect(snapshots()).toBeGreaterThanOrEqual(1);
    expect(sim.kvs.get(victim)!.hash()).toBe(sim.kvs.get(leader)!.hash());
    expect(sim.violations).toEqual([]);
  });

  /** Catch a follower up by snapshot, let it apply more, then replay the old snapshot message. */
  function replayStaleSnapshot(bugs: BugName[], putsAfter = 5): Sim {
    const sim = new Sim({ nodes: 3, seed: 23, snapshotEvery: 10, bugs });
    sim.put('a', 0);
    const leader = sim.leader()!;
    const lagging = sim.ids.find((id) => id !== leader)!;
    sim.isolate(lagging);
    for (let i = 0; i < 30; i++) sim.put(`k${i}`, i);
    let captured: SnapshotRequest | undefined;
    sim.filter = (m) => {
      if (m.type === 'snapshot' && !captured) captured = structuredClone(m);
      return m;
    };
    sim.heal();
    sim.runUntil(() => caughtUp(sim, lagging));
    // Fewer entries than snapshotEvery: the follower's log still reaches back to the snapshot; more: it compacted past it.
    for (let i = 30; i < 30 + putsAfter; i++) sim.put(`k${i}`, i);
    sim.runUntil(() => caughtUp(sim, lagging));
    expect(captured).toBeDefined();
    sim.inject(captured!);
    sim.run(50);
    return sim;
  }

  it('a stale snapshot is ignored by a follower that already applied past it', () => {
    const sim = replayStaleSnapshot([]);
    sim.put('after', 1);
    sim.run(100);
    expect(new Set(sim.ids.map((id) => sim.kvs.get(id)!.hash())).size).toBe(1);
  });

  it('with unsafe-snapshot, installing it rolls the follower back and its state diverges for good', () => {
    const sim = replayStaleSnapshot(['unsafe-snapshot']);
    sim.put('after', 1);
    sim.run(100);
    const applied = new Set(sim.ids.map((id) => sim.node(id).status().appliedIndex));
    expect(applied.size, JSON.stringify(sim.ids.map((id) => sim.node(id).status()))).toBe(1); // same applied index everywhere...
    expect(new Set(sim.ids.map((id) => sim.kvs.get(id)!.hash())).size).toBe(2); // ...but different states
  });

  it.each([[[] as BugName[], 1], [['unsafe-snapshot'] as BugName[], 2]])(
    'a snapshot older than the follower\'s own compaction point (bugs %j): %i distinct states after',
    (bugs, states) => {
      const sim = replayStaleSnapshot(bugs, 25);
      sim.put('after', 1);
      sim.run(100);
      // The follower's log no longer reaches back to it; the bug rolls the state machine back anyway, and replication goes on.
      expect(new Set(sim.ids.map((id) => sim.node(id).status().appliedIndex)).size).toBe(1);
      expect(new Set(sim.ids.map((id) => sim.kvs.get(id)!.hash())).size).toBe(states);
    },
  );

  it('with unsafe-snapshot, a rollback that a newer snapshot repaired still shows in the nodes\' hash histories', () => {
    const sim = replayStaleSnapshot(['unsafe-snapshot'], 25);
    const leader = sim.leader()!;
    const follower = sim.ids.find((id) => id !== leader && sim.kvs.get(id)!.hash() !== sim.kvs.get(leader)!.hash())!;
    expect(follower).toBeDefined();
    // Fall behind the leader's compaction point again: the next (newer) snapshot overwrites the damage.
    sim.isolate(follower);
    for (let i = 0; i < 30; i++) sim.put(`again${i}`, i);
    sim.heal();
    expect(sim.runUntil(() => caughtUp(sim, follower))).toBe(true);
    expect(new Set(sim.ids.map((id) => sim.kvs.get(id)!.hash())).size).toBe(1); // repaired...
    const at = sim.node(leader).status().appliedIndex;
    const reports = sim.ids.map((node) => ({ node, index: at, hash: sim.kvs.get(node)!.hash(), history: sim.kvs.get(node)!.hashHistory(at) }));
    const earlier = firstEarlierDivergence(reports, (n) => sim.ids.indexOf(n));
    expect(earlier?.divergent.map((d) => d.node)).toEqual([follower]); // ...but the history remembers
  });
});
