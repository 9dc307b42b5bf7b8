import { describe, expect, it } from 'vitest';
import { faultIntervals } from '../../reports/faults.ts';
import type { Op } from '../../history/op.ts';

let index = 0;
const nem = (time: number, type: Op['type'], f: string, value: unknown = null): Op => ({ index: index++, time, process: 'nemesis', type, f, value });
const client = (time: number): Op => ({ index: index++, time, process: 0, type: 'invoke', f: 'read', value: null });

describe('faultIntervals', () => {
  it('pairs start-X with the next stop-X, from the start completion to the stop completion', () => {
    index = 0;
    const h = [
      nem(10, 'invoke', 'start-partition'),
      client(11),
      nem(12, 'info', 'start-partition', { fault: 'partition', nodes: ['n1', 'n2'], description: 'n1 n2 | n3' }),
      nem(20, 'invoke', 'start-kill'),
      nem(21, 'info', 'start-kill', { fault: 'kill', nodes: ['n3'] }),
      nem(30, 'invoke', 'stop-partition'),
      nem(31, 'info', 'stop-partition'),
      nem(40, 'invoke', 'bump-clock', { nodes: ['n2'] }),
      nem(41, 'info', 'bump-clock'),
      client(50),
    ];
    const { intervals, events } = faultIntervals(h);
    // info starts: nobody knows what they applied, so they carry no effect (not drawn as faults that happened).
    const unknown = { effect: 'no-effect', uncertain: true };
    expect(intervals).toEqual([
      { fault: 'partition', start: 12, end: 31, healed: true, nodes: ['n1', 'n2'], description: 'n1 n2 | n3', startIndex: 0, stopIndex: 5, ...unknown },
      // never healed: runs to the end of the history
      { fault: 'kill', start: 21, end: 50, healed: false, nodes: ['n3'], startIndex: 3, stopIndex: -1, ...unknown },
    ]);
    expect(events).toEqual([{ time: 40, f: 'bump-clock', nodes: ['n2'], index: 7 }]);
  });

  it('drops a start that definitely failed and pairs overlapping faults of one kind in order', () => {
    index = 0;
    const h = [
      nem(1, 'invoke', 'start-pause'),
      nem(2, 'fail', 'start-pause'),
      nem(3, 'invoke', 'start-pause', { nodes: ['n1'] }),
      nem(4, 'ok', 'start-pause'),
      nem(5, 'invoke', 'start-pause', { nodes: ['n2'] }),
      nem(6, 'ok', 'start-pause'),
      nem(7, 'invoke', 'stop-pause'),
      nem(8, 'ok', 'stop-pause'),
      nem(9, 'invoke', 'stop-pause'),
      nem(10, 'ok', 'stop-pause'),
    ];
    const { intervals } = faultIntervals(h);
    expect(intervals.map((i) => [i.nodes, i.start, i.end])).toEqual([
      [['n1'], 4, 8],
      [['n2'], 6, 10],
    ]);
  });

  it('carries each fault\'s effect and evidence, the heal\'s, loss proven at its heal; stop-all closes what is open', () => {
    index = 0;
    const ev = (summary: string) => ({ summary });
    const h = [
      nem(1, 'invoke', 'start-partition'),
      nem(2, 'ok', 'start-partition', { fault: 'partition', nodes: ['n1'], effect: 'no-effect', evidence: ev('4 of 4 pairs meant to be cut still connect') }),
      nem(3, 'invoke', 'stop-partition'),
      nem(4, 'ok', 'stop-partition', { fault: 'partition', nodes: ['n1'], effect: 'took-effect', evidence: ev('all 6 pairs connect again') }),
      nem(5, 'invoke', 'start-loss'),
      nem(6, 'ok', 'start-loss', { fault: 'loss', nodes: ['n1'], effect: 'unverified', evidence: ev('no packet dropped yet') }),
      nem(7, 'invoke', 'stop-loss'),
      nem(8, 'ok', 'stop-loss', { fault: 'loss', nodes: ['n1'], effect: 'took-effect', faultEffect: 'took-effect', evidence: ev('n2 dropped 5 from n1') }),
      nem(9, 'invoke', 'start-kill'),
      nem(10, 'ok', 'start-kill', { fault: 'kill', nodes: ['n2'], effect: 'took-effect', evidence: ev('n2: pid 14 gone after 50 ms') }),
      nem(11, 'invoke', 'stop-all'),
      nem(12, 'ok', 'stop-all', { fault: 'all', nodes: ['n1', 'n2'], effect: 'took-effect', evidence: ev('all healed') }),
    ];
    const { intervals } = faultIntervals(h);
    expect(intervals.map((i) => [i.fault, i.effect, i.evidence?.summary, i.heal?.effect, i.end, i.healed])).toEqual([
      ['partition', 'no-effect', '4 of 4 pairs meant to be cut still connect', 'took-effect', 4, true],
      ['loss', 'took-effect', 'no packet dropped yet', 'took-effect', 8, true],
      ['kill', 'took-effect', 'n2: pid 14 gone after 50 ms', 'took-effect', 12, true],
    ]);
  });
});
