// A partition is named by its sides, a one-way cut by its direction, not just by the nodes it touched.
import { describe, expect, it } from 'vitest';
import { faultLabel, faultWithLabel } from '../../reports/page/fault-label.ts';
import { describeGrudge, partitionGrudge } from '../../nemeses/index.ts';
import { Random } from '../../generator/index.ts';

describe('fault labels', () => {
  it('partition and loss by their cut; other faults by their nodes', () => {
    expect(faultLabel({ fault: 'partition', nodes: ['n1', 'n2', 'n3'], description: 'n1 | n2 n3' })).toBe('n1 | n2 n3');
    expect(faultWithLabel({ fault: 'partition', nodes: ['n1', 'n2'], description: 'n1 -x-> n2 (one-way)' })).toBe('partition (n1 -x-> n2 (one-way))');
    expect(faultWithLabel({ fault: 'kill', nodes: ['n2'], description: 'kill -9 n2' })).toBe('kill (n2)');
    expect(faultWithLabel({ fault: 'clock', nodes: [] })).toBe('clock');
  });

  it('the nemesis describes every partition shape by its sides or direction', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const halves = describeGrudge(partitionGrudge('halves', nodes, new Random(1)), nodes);
    expect(halves).toMatch(/^n\d( n\d)* \| n\d( n\d)*$/);
    expect(describeGrudge(partitionGrudge('one-way', nodes, new Random(1)), nodes)).toMatch(/-x-> .*\(one-way\)/);
  });
});
