import { describe, expect, it } from 'vitest';
import { Sim, type ReadOutcome } from '../../testkit/raft-sim.ts';
import type { Json } from '../../raftkv/kv-state.ts';
import type { BugName } from '../../raftkv/bugs.ts';

/** How a read ended: 'failed', the value served, or 'pending' (a read that never completes proves nothing). */
function outcomeOf(read: ReadOutcome): 'failed' | 'pending' | Json | null {
  if (read.failed) return 'failed';
  return read.value === undefined ? 'pending' : read.value;
}

describe('raft core: ReadIndex reads', () => {
  it('the leader serves a read only after a quorum round, at the commit index', () => {
    const sim = new Sim({ nodes: 3, seed: 31 });
    const index = sim.put('x', 1);
    const leader = sim.leader()!;
    const id = sim.read(leader, 'x');
    expect(sim.reads.get(id)!.value).toBeUndefined(); // no round trip yet
    sim.run(20);
    expect(sim.reads.get(id)).toMatchObject({ value: 1 });
    expect(sim.reads.get(id)!.index).toBeGreaterThanOrEqual(index);
  });

  it('a follower refuses reads (definite failure, with the leader as hint)', () => {
    const sim = new Sim({ nodes: 3, seed: 32 });
    sim.put('x', 1);
    const follower = sim.ids.find((id) => id !== sim.leader())!;
    const id = sim.read(follower, 'x');
    expect(sim.reads.get(id)!.failed).toBe(true);
  });

  it('a leader cut off in a minority cannot confirm a read; it fails when it steps down', () => {
    const sim = new Sim({ nodes: 3, seed: 33 });
    sim.put('x', 1);
    const old = sim.leader()!;
    sim.isolate(old);
    const id = sim.read(old, 'x');
    sim.run(2000);
    expect(sim.reads.get(id)!.value).toBeUndefined();
    expect(sim.reads.get(id)!.failed).toBe(true);
  });

  /** The old leader is paused while the others elect a new leader and write x=2; it reads right after resuming. */
  function readAfterPause(bugs: BugName[]) {
    const sim = new Sim({ nodes: 3, seed: 34, bugs });
    sim.put('x', 1);
    const old = sim.leader()!;
    sim.run(30); // a few heartbeat rounds: the lease (if any) is fresh
    sim.pause(old);
    const rest = sim.ids.filter((id) => id !== old);
    const fresh = sim.waitForLeader(rest);
    const w = sim.propose(fresh, { op: 'put', key: 'x', value: 2 });
    expect(w.ok).toBe(true);
    sim.runUntil(() => sim.node(fresh).status().appliedIndex >= (w.ok ? w.index : 0));
    sim.resume(old); // its last tick is from before the pause
    const id = sim.read(old, 'x');
    sim.run(200);
    return sim.reads.get(id)!;
  }

  it('ReadIndex after a process pause never returns the stale value: it fails or reads the new one', () => {
    expect(outcomeOf(readAfterPause([]))).toBeOneOf(['failed', 2]);
  });

  it('with lease-read, the resumed old leader trusts its stale clock and serves the stale value', () => {
    const read = readAfterPause(['lease-read']);
    expect(read.value).toBe(1);
  });

  /** The old leader's clock runs at a quarter speed; it is cut off while the others elect a leader and write x=2. */
  function readWithSlowClock(bugs: BugName[]) {
    const sim = new Sim({ nodes: 3, seed: 35, bugs });
    sim.put('x', 1);
    const old = sim.leader()!;
    sim.run(30);
    sim.clockRate.set(old, 0.25);
    sim.isolate(old);
    const rest = sim.ids.filter((id) => id !== old);
    const fresh = sim.waitForLeader(rest);
    const w = sim.propose(fresh, { op: 'put', key: 'x', value: 2 });
    sim.runUntil(() => sim.node(fresh).status().appliedIndex >= (w.ok ? w.index : 0));
    const id = sim.read(old, 'x');
    // Long enough for check-quorum to depose it even on a quarter-speed clock: the read must end, one way or the other.
    sim.run(2000);
    return sim.reads.get(id)!;
  }

  it('ReadIndex with a slow clock on the old leader never returns the stale value: it fails or reads the new one', () => {
    expect(outcomeOf(readWithSlowClock([]))).toBeOneOf(['failed', 2]);
  });

  it('with lease-read, a slow clock stretches the lease past the next election: stale value', () => {
    expect(readWithSlowClock(['lease-read']).value).toBe(1);
  });

  /** The old leader is cut off and its clock set back 5 s; the others elect a leader and write x=2. */
  function readAfterClockBack(bugs: BugName[]) {
    const sim = new Sim({ nodes: 3, seed: 36, bugs });
    sim.put('x', 1);
    const old = sim.leader()!;
    sim.run(30);
    sim.isolate(old);
    sim.jumpClock(old, -5000);
    const rest = sim.ids.filter((id) => id !== old);
    const fresh = sim.waitForLeader(rest);
    const w = sim.propose(fresh, { op: 'put', key: 'x', value: 2 });
    sim.runUntil(() => sim.node(fresh).status().appliedIndex >= (w.ok ? w.index : 0));
    sim.run(1000); // well past check-quorum's step-down (an election timeout of real time)
    const stillLeads = sim.node(old).status().role === 'leader';
    const id = sim.read(old, 'x');
    sim.run(50);
    return { stillLeads, read: sim.reads.get(id)! };
  }

  it('check-quorum deposes a cut-off leader whatever its clock says: no stale read', () => {
    const { stillLeads, read } = readAfterClockBack([]);
    expect(stillLeads).toBe(false);
    expect(outcomeOf(read)).toBeOneOf(['failed', 2]);
  });

  it('with lease-read, a clock set back keeps a cut-off leader leading on its lease: stale value a second later', () => {
    const { stillLeads, read } = readAfterClockBack(['lease-read']);
    expect(stillLeads).toBe(true);
    expect(read.value).toBe(1);
  });
});
