// The leadership-churn check on hand-written histories: faults from the
// nemesis ops, terms from the final state reports.
import { describe, expect, it } from 'vitest';
import { checkElections, type ElectionsDetails } from '../../checkers/elections.ts';
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { History, Op } from '../../history/op.ts';

/** `faults` partitions started and stopped, then one state-hash report per node with its term (null: no term). */
function history(faults: number, terms: Record<string, number | null>): History {
  const ops: Op[] = [];
  const push = (o: Omit<Op, 'index' | 'time'>) => ops.push({ ...o, index: ops.length, time: ops.length });
  for (let i = 0; i < faults; i++) {
    for (const f of ['start-partition', 'stop-partition']) {
      push({ process: 'nemesis', type: 'invoke', f, value: null });
      push({ process: 'nemesis', type: 'ok', f, value: { fault: 'partition', nodes: ['n1'] } });
    }
  }
  Object.entries(terms).forEach(([node, term], p) => {
    push({ process: 10 + p, type: 'invoke', f: 'state-hash', value: null, node });
    push({ process: 10 + p, type: 'ok', f: 'state-hash', value: { node, index: 5, hash: 'h', ...(term === null ? {} : { term }) }, node });
  });
  return ops;
}

describe('elections checker', () => {
  it('allows an election or two per fault', () => {
    const r = checkElections(history(2, { n1: 4, n2: 5, n3: 5 }));
    expect(r.valid).toBe(true);
    expect(r.details).toMatchObject({ maxTerm: 5, elections: 4, faults: 2, allowance: 6 } satisfies Partial<ElectionsDetails>);
    expect(r.summary).toMatch(/term 5 at the end: 4 elections after the first, 2 faults injected/);
  });

  it('flags a flood of elections the faults do not explain, naming the counts', () => {
    const r = checkElections(history(2, { n1: 9, n2: 9, n3: 8 }));
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/^leadership churned: term 9 at the end: 8 elections after the first, 2 faults injected, more than the 6/);
    // One more allowed election per fault and the same run passes: the bound is the config's.
    expect(checkElections(history(2, { n1: 9 }), { perFault: 3 }).valid).toBe(true);
  });

  it('counts only faults that took effect, and a fresh cluster at term 1 as no churn', () => {
    const h = history(0, { n1: 1, n2: 1 });
    h.unshift({ index: -2, time: 0, process: 'nemesis', type: 'invoke', f: 'start-kill', value: null }, { index: -1, time: 0, process: 'nemesis', type: 'fail', f: 'start-kill', value: null });
    const r = checkElections(h, { baseline: 0, perFault: 0 });
    expect(r.valid).toBe(true);
    expect(r.details).toMatchObject({ elections: 0, faults: 0 });
  });

  it('counts a fault whose start completed info (it may have been applied in part), but not one shown to have had no effect', () => {
    const h = history(0, { n1: 3, n2: 3 });
    h.unshift(
      { index: -6, time: 0, process: 'nemesis', type: 'invoke', f: 'start-partition', value: null },
      { index: -5, time: 0, process: 'nemesis', type: 'info', f: 'start-partition', value: { fault: 'partition', nodes: ['n1'] }, error: 'script exited 2 on n3' },
      { index: -4, time: 0, process: 'nemesis', type: 'invoke', f: 'start-kill', value: null },
      { index: -3, time: 0, process: 'nemesis', type: 'ok', f: 'start-kill', value: { fault: 'kill', nodes: ['n2'], effect: 'no-effect' } },
    );
    const r = checkElections(h, { baseline: 0, perFault: 2 });
    expect(r.details).toMatchObject({ elections: 2, faults: 1, allowance: 2 });
    expect(r.valid).toBe(true);
  });

  it('is unknown when no node reported a term', () => {
    expect(checkElections(history(1, { n1: null, n2: null })).valid).toBe('unknown');
  });

  it('is in the registry with its config, as analyze rebuilds it', () => {
    const c = checkerFromSpec({ name: 'elections', config: { perFault: 1, baseline: 0 } });
    expect(c.config).toEqual({ perFault: 1, baseline: 0 });
    expect(c.check(history(1, { n1: 3 }), { nodes: ['n1'], workload: 'register' })).toMatchObject({ valid: false });
  });
  it('counts every forward jump of a clock strobe as a fault: each may expire a leader\'s quorum check or a follower\'s election timer', () => {
    // A 2 s strobe on one node flipping every 100 ms: 10 forward jumps; 12 elections are within 2 + 2 x 10.
    const strobe = (stopAtNs: number): Op[] => [
      { index: 0, time: 1e9, process: 'nemesis', type: 'invoke', f: 'start-clock', value: { variant: 'strobe', seed: 1, deltaMs: 4000, periodMs: 100 } },
      { index: 1, time: 1e9, process: 'nemesis', type: 'ok', f: 'start-clock', value: { fault: 'clock', nodes: ['n1'], variant: 'strobe', deltaMs: 4000, effect: 'took-effect' } },
      { index: 2, time: stopAtNs, process: 'nemesis', type: 'invoke', f: 'stop-clock', value: null },
      { index: 3, time: stopAtNs, process: 'nemesis', type: 'ok', f: 'stop-clock', value: { fault: 'clock', nodes: ['n1'] } },
    ];
    const terms = history(0, { n1: 13, n2: 13 }).map((op) => ({ ...op, time: 4e9 }));
    const long = checkElections([...strobe(3e9), ...terms]);
    expect(long.details).toMatchObject({ elections: 12, faults: 10, allowance: 22 });
    expect(long.valid).toBe(true);
    // The same churn after a strobe of 100 ms (one jump) is more than it explains.
    const short = checkElections([...strobe(1.1e9), ...terms]);
    expect(short.details).toMatchObject({ faults: 1, allowance: 4 });
    expect(short.valid).toBe(false);
  });

  it('counts a clock fault once per node it reached: a jump on three nodes sets three campaigns going at once', () => {
    const jump = (nodes: string[]): Op[] => [
      { index: 0, time: 1, process: 'nemesis', type: 'invoke', f: 'start-clock', value: { variant: 'bump', seed: 1 } },
      { index: 1, time: 2, process: 'nemesis', type: 'ok', f: 'start-clock', value: { fault: 'clock', nodes, variant: 'bump', effect: 'took-effect' } },
    ];
    const terms = history(0, { n1: 6, n2: 6 }).map((op) => ({ ...op, time: 3 }));
    expect(checkElections([...jump(['n2', 'n3', 'n5']), ...terms]).details).toMatchObject({ elections: 5, faults: 3, allowance: 8 });
    expect(checkElections([...jump(['n2']), ...terms]).valid).toBe(false);
  });
});
