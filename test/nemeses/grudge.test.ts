import { describe, expect, it } from 'vitest';
import { Random } from '../../generator/index.ts';
import {
  bridge,
  describeGrudge,
  halves,
  isolate,
  lossGrudge,
  majority,
  oneWay,
  partitionGrudge,
  PARTITION_SHAPES,
  reaches,
  ring,
  touched,
  type Grudge,
} from '../../nemeses/grudge.ts';
import { pickTargets, someNodes } from '../../nemeses/targets.ts';

const nodes = (n: number): string[] => Array.from({ length: n }, (_, i) => `n${i + 1}`);
/** Who `node` hears (itself included). */
const sees = (g: Grudge, all: string[], node: string): string[] => all.filter((x) => reaches(g, x, node));
const symmetric = (g: Grudge, all: string[]): boolean => all.every((a) => all.every((b) => reaches(g, a, b) === reaches(g, b, a)));

describe('partition grudges', () => {
  it('halves: two groups, no traffic across, everything inside', () => {
    for (const n of [2, 3, 4, 5, 7]) {
      const all = nodes(n);
      const g = halves(all, new Random(n));
      const groups = [...new Set(all.map((x) => sees(g, all, x).join(' ')))].map((v) => v.split(' '));
      expect(groups.map((grp) => grp.length).sort()).toEqual([Math.floor(n / 2), Math.ceil(n / 2)]);
      const [a, b] = groups;
      for (const x of a) for (const y of b) expect(reaches(g, x, y) || reaches(g, y, x)).toBe(false);
    }
  });

  it('isolate: the node hears nobody and nobody hears it; the rest is whole', () => {
    const all = nodes(5);
    const g = isolate(all, 'n3');
    expect(sees(g, all, 'n3')).toEqual(['n3']);
    for (const x of all.filter((x) => x !== 'n3')) expect(sees(g, all, x)).toEqual(all.filter((y) => y !== 'n3'));
    expect(describeGrudge(g, all)).toBe('n1 n2 n4 n5 | n3');
  });

  it('ring: every node sees a majority, no two the same one', () => {
    for (const n of [3, 4, 5, 6, 7, 9]) {
      const all = nodes(n);
      for (let seed = 0; seed < 5; seed++) {
        const g = ring(all, new Random(seed));
        const views = all.map((x) => sees(g, all, x));
        for (const v of views) expect(v).toHaveLength(majority(n));
        for (const [i, v] of views.entries()) expect(v).toContain(all[i]);
        expect(new Set(views.map((v) => v.join(','))).size).toBe(n);
        // Odd majorities (5, 9 nodes) make a symmetric ring.
        if (majority(n) % 2 === 1) expect(symmetric(g, all)).toBe(true);
      }
    }
  });

  it('bridge: only the bridge node sees both sides; the sides do not see each other', () => {
    for (const n of [3, 5, 6]) {
      const all = nodes(n);
      const g = bridge(all, new Random(n));
      const full = all.filter((x) => sees(g, all, x).length === n);
      expect(full).toHaveLength(1);
      const b = full[0];
      for (const x of all) expect(reaches(g, b, x) && reaches(g, x, b)).toBe(true);
      const rest = all.filter((x) => x !== b);
      const left = rest.filter((x) => reaches(g, rest[0], x));
      const right = rest.filter((x) => !left.includes(x));
      expect(left.length + right.length).toBe(n - 1);
      expect(right.length).toBeGreaterThan(0);
      for (const l of left) for (const r of right) expect(reaches(g, l, r) || reaches(g, r, l)).toBe(false);
      expect(symmetric(g, all)).toBe(true);
    }
  });

  it('one-way: only the named direction is cut, and only receivers hold rules', () => {
    const all = nodes(3);
    const g = oneWay('n1', ['n2']);
    expect(reaches(g, 'n1', 'n2')).toBe(false);
    expect(reaches(g, 'n2', 'n1')).toBe(true);
    expect(Object.keys(g)).toEqual(['n2']);
    expect(describeGrudge(g, all)).toBe('n1 -x-> n2 (one-way)');

    const shaped = partitionGrudge('one-way', nodes(5), new Random(9));
    const [from] = touched(shaped).filter((x) => !(x in shaped));
    for (const x of nodes(5).filter((y) => y !== from)) {
      expect(reaches(shaped, from, x)).toBe(false);
      expect(reaches(shaped, x, from)).toBe(true);
    }
  });

  it('leader: isolates exactly the leader it is given; no leader is an error', () => {
    const all = nodes(5);
    expect(sees(partitionGrudge('leader', all, new Random(1), 'n4'), all, 'n4')).toEqual(['n4']);
    expect(() => partitionGrudge('leader', all, new Random(1))).toThrow(/no leader/);
  });

  it('every shape is reproducible from its seed and refuses too few nodes', () => {
    for (const shape of PARTITION_SHAPES) {
      const a = partitionGrudge(shape, nodes(5), new Random(42), 'n1');
      const b = partitionGrudge(shape, nodes(5), new Random(42), 'n1');
      expect(a).toEqual(b);
    }
    expect(() => partitionGrudge('ring', nodes(2), new Random(1))).toThrow(/at least 3/);
  });

  it('describes asymmetric grudges by direction', () => {
    const all = nodes(3);
    expect(describeGrudge({ n1: ['n2'], n2: ['n1'], n3: ['n1'] }, all)).toBe('n1 -x- n2, n1 -x-> n3 (one-way)');
    expect(describeGrudge({ n1: ['n3'], n2: ['n3'] }, all)).toBe('n3 -x-> n1 n2 (one-way)');
  });
});

describe('loss grudges and targets', () => {
  it('loss between all pairs, or on one node only', () => {
    const all = nodes(4);
    const g = lossGrudge('all', all, new Random(1));
    for (const x of all) expect(sees(g, all, x)).toEqual([x]);
    const one = lossGrudge('one', all, new Random(1));
    expect(touched(one)).toEqual(all);
    expect(Object.values(one).filter((v) => v.length === 3)).toHaveLength(1);
  });

  it('targets: minority < majority, leader as given, subsets non-empty', () => {
    const all = nodes(5);
    const r = new Random(3);
    expect(pickTargets('minority', all, r)).toHaveLength(2);
    expect(pickTargets('majority', all, r)).toHaveLength(3);
    expect(pickTargets('all', all, r)).toEqual(all);
    expect(pickTargets('leader', all, r, 'n2')).toEqual(['n2']);
    expect(() => pickTargets('leader', all, r)).toThrow(/no leader/);
    expect(pickTargets('minority', nodes(3), r)).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      const s = someNodes(all, r);
      expect(s.length).toBeGreaterThan(0);
      expect(new Set(s).size).toBe(s.length);
    }
  });
});
