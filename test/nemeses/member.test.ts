// The member nemesis's pure rules (nemeses/member-quorum.ts) and what the
// plan refuses before a run: a DB without membership change (raftkv), a
// cluster too small, overlap with other faults; a three-node cluster keeps
// readd and replace.
import { describe, expect, it } from 'vitest';
import type { Membership } from '../../clusters/index.ts';
import { nemesisPlan } from '../../nemeses/index.ts';
import { removalRefusal, shrinkBy } from '../../nemeses/member-quorum.ts';

const members = ['n1', 'n2', 'n3', 'n4', 'n5'];
const live = (...nodes: string[]) => new Set(nodes);
const etcd = { name: 'etcd', membership: {} as Membership };

describe('member nemesis: quorum rules', () => {
  it('a member may leave when the rest keep a live majority and at least three members', () => {
    expect(removalRefusal(members, live(...members), 'n1')).toBeUndefined();
    // Four left, two of them live: short of a quorum of three.
    expect(removalRefusal(members, live('n1', 'n2', 'n3'), 'n3')).toMatch(/leave 2 live of 4 members, short of a quorum of 3/);
    // Removing a dead member is what heals a cluster: allowed while the rest have quorum.
    expect(removalRefusal(members, live('n1', 'n2', 'n3', 'n4'), 'n5')).toBeUndefined();
    expect(removalRefusal(['n1', 'n2', 'n3'], live('n1', 'n2', 'n3'), 'n1')).toMatch(/leave 2 members, fewer than 3/);
    expect(removalRefusal(['n1', 'n2', 'n3'], live('n1'), 'n9')).toMatch(/not a member/);
    // A readd on three: the two others carry the cluster for the moment, if both are live.
    expect(removalRefusal(['n1', 'n2', 'n3'], live('n1', 'n2', 'n3'), 'n1', 2)).toBeUndefined();
    expect(removalRefusal(['n1', 'n2', 'n3'], live('n1', 'n2'), 'n1', 2)).toMatch(/1 live of 2 members/);
  });

  it('a shrink goes down to three members, two at most', () => {
    expect([3, 4, 5, 7].map(shrinkBy)).toEqual([0, 1, 2, 2]);
  });
});

describe('member nemesis: the plan', () => {
  it('raftkv is refused, saying why', () => {
    expect(() => nemesisPlan(['member'], { intervalS: 1, db: { name: 'raftkv' }, nodeCount: 3 })).toThrow(/member unsupported for raftkv: it has no membership change: its cluster is fixed at start/);
  });

  it('too few nodes, and shrink alone on three, are refused', () => {
    expect(() => nemesisPlan(['member'], { intervalS: 1, db: etcd, nodeCount: 2 })).toThrow(/member needs at least 3 nodes/);
    expect(() => nemesisPlan(['member-shrink'], { intervalS: 1, db: etcd, nodeCount: 3 })).toThrow(/needs --nodes 4 or 5/);
  });

  it('member on three nodes means readd and replace; on five, shrink too', () => {
    expect(nemesisPlan(['member'], { intervalS: 1, db: etcd, nodeCount: 3 }).nemesis.name).toBe('member-readd,member-replace');
    expect(nemesisPlan(['member-replace'], { intervalS: 1, db: etcd, nodeCount: 3 }).nemesis.name).toBe('member-replace');
    expect(nemesisPlan(['member', 'kill'], { intervalS: 1, db: etcd, nodeCount: 5 }).nemesis.name).toMatch(/^member-readd,member-replace,member-shrink,kill-/);
  });

  it('member does not overlap other faults', () => {
    expect(() => nemesisPlan(['member', 'partition'], { intervalS: 1, db: etcd, nodeCount: 5, overlap: true })).toThrow(/member cannot overlap other faults/);
    expect(nemesisPlan(['member'], { intervalS: 1, db: etcd, nodeCount: 5, overlap: true }).nemesis.name).toBe('member-readd,member-replace,member-shrink');
  });
});
