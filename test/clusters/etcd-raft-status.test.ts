// etcd's Raft fields (clusters/etcd/raft-status.ts): /debug/vars raft.Status
// read into MemberStatus; a follower's last log index is its leader's match.
import { describe, expect, it } from 'vitest';
import type { MemberStatus } from '../../clusters/index.ts';
import type { EtcdRaftStatus } from '../../clusters/etcd/api.ts';
import { withRaftFields } from '../../clusters/etcd/raft-status.ts';

const member = (node: string, leader = false): MemberStatus => ({ node, ip: '10.0.0.1', up: true, leader, term: 2, index: 10 });
const raft = (id: string, fields: Partial<EtcdRaftStatus> = {}): EtcdRaftStatus => ({
  id, term: 3, vote: '0', commit: 10, lead: 'a', raftState: 'StateFollower', applied: 10, progress: {}, leadtransferee: '0', ...fields,
} as EtcdRaftStatus);
const ids: Record<string, string> = { a: 'n1', b: 'n2', c: 'n3' };

describe('etcd Raft status', () => {
  it('term, commit and vote from raft.Status; last log index from the highest-term leader\'s progress', () => {
    const progress = { a: { match: 14, next: 15, state: 'StateReplicate' }, b: { match: 12, next: 15, state: 'StateReplicate' } };
    const out = withRaftFields(
      [
        { member: member('n1', true), raft: raft('a', { raftState: 'StateLeader', vote: 'a', commit: 12, progress }) },
        { member: member('n2'), raft: raft('b', { vote: 'a' }) },
        { member: member('n3'), raft: raft('c', { vote: 'ff' }) },
        { member: { node: 'n4', ip: '10.0.0.4', up: false, leader: false } },
      ],
      (id) => ids[id],
    );
    expect(out[0]).toMatchObject({ term: 3, commitIndex: 12, votedFor: 'n1', lastLogIndex: 14 });
    expect(out[1]).toMatchObject({ term: 3, votedFor: 'n1', lastLogIndex: 12 });
    // Unknown to the leader: no position; an unknown vote keeps the hex id.
    expect(out[2].lastLogIndex).toBeUndefined();
    expect(out[2].votedFor).toBe('ff');
    expect(out[3]).toEqual({ node: 'n4', ip: '10.0.0.4', up: false, leader: false });
    expect(out.every((s) => s.lastLogTerm === undefined)).toBe(true);
  });
});
