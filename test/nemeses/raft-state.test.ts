// The pure half of the Raft-aware faults: reading statuses (who is ahead,
// who leads, who voted, two leaders at once), the names they answer to, and
// refusing a DB or a cluster that cannot play them, before anything starts.
import { describe, expect, it } from 'vitest';
import type { MemberStatus } from '../../clusters/index.ts';
import { nemesisPlan, resolveNemeses, RAFT_KINDS } from '../../nemeses/index.ts';
import { byFreshness, compareLogs, currentLeader, mostUpToDateFollower, newLeaderAmong, twoLeaders, uncommittedTail, voterAbove } from '../../nemeses/raft-state.ts';
import { rivalIn } from '../../nemeses/raft-crash-after-vote.ts';

const member = (node: string, fields: Partial<MemberStatus> = {}): MemberStatus => ({ node, ip: '10.0.0.1', up: true, leader: false, ...fields });

describe('reading Raft state from statuses', () => {
  it('orders logs as the vote rule does: last term first, then index; index alone when a term is unknown', () => {
    expect(compareLogs({ index: 5, term: 3 }, { index: 9, term: 2 })).toBeGreaterThan(0);
    expect(compareLogs({ index: 5, term: 3 }, { index: 9, term: 3 })).toBeLessThan(0);
    expect(compareLogs({ index: 5 }, { index: 9, term: 3 })).toBeLessThan(0);
    expect(compareLogs({ index: 7, term: 1 }, { index: 7, term: 1 })).toBe(0);
  });

  it('a new leader among some members: only theirs counts, and only in a term above the one given', () => {
    const all = [
      member('n1', { leader: true, term: 3 }), // the old leader, outside the group
      member('n2', { leader: true, term: 4 }),
      member('n3', { term: 4 }),
      member('n4', { leader: true, term: 5, up: false }),
    ];
    expect(newLeaderAmong(all, ['n2', 'n3'], 3)?.node).toBe('n2');
    expect(newLeaderAmong(all, new Set(['n2', 'n3']), 4)).toBeUndefined();
    expect(newLeaderAmong(all, ['n1', 'n3'], 2)?.node).toBe('n1');
    expect(newLeaderAmong(all, ['n3', 'n4'], 0)).toBeUndefined();
  });

  it('the most up-to-date follower: the later last term beats the longer log, the leader and silent members never count', () => {
    const all = [
      member('n1', { leader: true, term: 4, lastLogIndex: 30, lastLogTerm: 4 }),
      member('n2', { lastLogIndex: 40, lastLogTerm: 2 }),
      member('n3', { lastLogIndex: 25, lastLogTerm: 4 }),
      member('n4', { lastLogIndex: 29, lastLogTerm: 4 }),
      member('n5', { up: false }),
    ];
    expect(mostUpToDateFollower(all, 'n1')?.node).toBe('n4');
    expect(byFreshness(all).map((s) => s.node)).toEqual(['n2', 'n3', 'n4', 'n1']);
    // etcd: no last term, so the index decides.
    const etcd = all.map(({ lastLogTerm: _t, ...s }) => s);
    expect(mostUpToDateFollower(etcd, 'n1')?.node).toBe('n2');
    expect(mostUpToDateFollower([member('n1', { leader: true })], 'n1')).toBeUndefined();
  });

  it('the current leader is the one in the highest term; two leaders are reported oldest first, only in different terms', () => {
    const all = [member('n1', { leader: true, term: 3 }), member('n2', { leader: true, term: 4 }), member('n3', { term: 4 })];
    expect(currentLeader(all)?.node).toBe('n2');
    expect(twoLeaders(all)?.map((s) => s.node)).toEqual(['n1', 'n2']);
    expect(twoLeaders([member('n1', { leader: true, term: 4 }), member('n2', { term: 4 })])).toBeUndefined();
    expect(twoLeaders([member('n1', { leader: true, term: 4 }), member('n2', { leader: true, term: 4 })])).toBeUndefined();
  });

  it('a fresh voter: term above the old one, voted for someone else (a candidate voting for itself does not count)', () => {
    const all = [
      member('n2', { term: 5, votedFor: 'n2' }),
      member('n3', { term: 4, votedFor: 'n2' }),
      member('n4', { term: 5, votedFor: null }),
      member('n5', { term: 5, votedFor: 'n2' }),
    ];
    expect(voterAbove(all, 4)?.node).toBe('n5');
    expect(voterAbove(all, 4, ['n5'])).toBeUndefined();
    expect(voterAbove(all, 3)?.node).toBe('n3');
  });

  it('late-votes takes a voter whose term has a rival: another candidate of that term than the one it voted for', () => {
    const one = [member('n2', { term: 5, votedFor: 'n2' }), member('n3', { term: 5, votedFor: 'n2' }), member('n4', { term: 5, votedFor: 'n2' })];
    // n2 alone campaigns in term 5: its voters' requests were all answered.
    expect(voterAbove(one, 4, [], rivalIn)).toBeUndefined();
    expect(voterAbove(one, 4)?.node).toBe('n3');
    // n4 campaigns in term 5 too: its request to n3 may still be on its way. A candidate of another term is no rival.
    const two = [member('n2', { term: 5, votedFor: 'n2' }), member('n3', { term: 5, votedFor: 'n2' }), member('n4', { term: 5, votedFor: 'n4' }), member('n5', { term: 6, votedFor: 'n5' })];
    expect(voterAbove(two, 4, [], rivalIn)?.node).toBe('n3');
    expect(rivalIn(two, two[1])?.node).toBe('n4');
    expect(rivalIn([two[0], two[1], two[3]], two[1])).toBeUndefined();
  });

  it('an uncommitted tail is last log index minus commit index, 0 when either is unknown', () => {
    expect(uncommittedTail(member('n1', { lastLogIndex: 12, commitIndex: 9 }))).toBe(3);
    expect(uncommittedTail(member('n1', { lastLogIndex: 9, commitIndex: 9 }))).toBe(0);
    expect(uncommittedTail(member('n1', { commitIndex: 9 }))).toBe(0);
  });
});

describe('Raft-aware nemesis names and support', () => {
  const raftkvLike = { name: 'raftkv', raftStatus: ['term', 'lastLogIndex', 'lastLogTerm', 'commitIndex', 'votedFor'] as const };
  const plan = (names: string[], db: { name: string; raftStatus?: readonly ('term' | 'lastLogIndex' | 'lastLogTerm' | 'commitIndex' | 'votedFor')[] }, nodeCount = 5) =>
    nemesisPlan(names, { intervalS: 1, db, nodeCount });

  it('raft names every scenario; each kind and variant has its own name', () => {
    expect([...new Set(resolveNemeses(['raft']).map((c) => c.kind))]).toEqual([...RAFT_KINDS]);
    expect(resolveNemeses(['crash-after-vote-reboot'])).toEqual([{ kind: 'crash-after-vote', variant: 'reboot' }]);
    expect(resolveNemeses(['two-leaders'])).toEqual([{ kind: 'two-leaders', variant: 'scripted' }]);
  });

  it('a DB that does not report what a kind watches is refused before the cluster starts, naming the fields', () => {
    expect(() => plan(['raft'], raftkvLike)).not.toThrow();
    expect(() => plan(['raft'], { name: 'etcd', raftStatus: ['term', 'lastLogIndex', 'commitIndex', 'votedFor'] })).not.toThrow();
    expect(() => plan(['two-leaders'], { name: 'mydb' })).toThrow(/two-leaders unsupported for mydb: its status does not report term/);
    expect(() => plan(['uncommitted-cut'], { name: 'mydb', raftStatus: ['term', 'lastLogIndex'] })).toThrow(/does not report commitIndex/);
    expect(() => plan(['crash-after-vote'], { name: 'mydb', raftStatus: ['term'] })).toThrow(/votedFor/);
  });

  it('lagging-leader needs 5 nodes (the rest must be a majority without the leader and the isolated follower); the others 3', () => {
    expect(() => plan(['lagging-leader'], raftkvLike, 3)).toThrow(/lagging-leader needs at least 5 nodes, the cluster has 3/);
    expect(() => plan(['two-leaders', 'uncommitted-cut', 'crash-after-vote', 'stale-restart'], raftkvLike, 3)).not.toThrow();
    expect(() => plan(['stale-restart'], raftkvLike, 2)).toThrow(/at least 3 nodes/);
  });
});
