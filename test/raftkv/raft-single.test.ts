import { describe, expect, it } from 'vitest';
import { Sim } from '../../testkit/raft-sim.ts';

describe('raft core: a single-node cluster', () => {
  it('elects itself, commits alone, serves ReadIndex reads without peers, and recovers from its disk', () => {
    const sim = new Sim({ nodes: 1, seed: 51 });
    expect(sim.waitForLeader()).toBe('n1');
    sim.put('a', 1);
    const id = sim.read('n1', 'a');
    sim.run(1);
    expect(sim.reads.get(id)).toMatchObject({ value: 1 });
    sim.crash('n1');
    sim.restart('n1');
    sim.waitForLeader();
    sim.run(10);
    expect(sim.kvs.get('n1')!.get('a')).toBe(1);
  });
});
