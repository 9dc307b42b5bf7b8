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
    expect(intervals).toEqual([
      { fault: 'partition', start: 12, end: 31, healed: true, nodes: ['n1', 'n2'], description: 'n1 n2 | n3', startIndex: 0, stopIndex: 5 },
      // never healed: runs to the end of the history
      { fault: 'kill', start: 21, end: 50, healed: false, nodes: ['n3'], startIndex: 3, stopIndex: -1 },
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
});
