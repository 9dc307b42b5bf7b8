// The Raft fields of an etcd member's status (MemberStatus.term, commitIndex,
// votedFor, lastLogIndex), from the raft.Status each member publishes on
// /debug/vars. What etcd 3.4 can tell, read from its source
// (etcdserver/api/v3rpc/maintenance.go Status, etcdserver/server.go):
//   - maintenance/status's raft_index is the *committed* index the server
//     handed to its apply loop, and raft_term the term of the last *applied*
//     entry, so neither is a log position nor the current term;
//   - raft.Status has the current term, the vote (hex member id), the raft
//     commit index, and on the leader only the progress of every member:
//     its `match`, the leader's own being its last log index.
// So a follower's last log index is the current leader's match for it: a
// lower bound (entries it received but has not acknowledged yet are missing),
// exact once it caught up. The term of the last entry is not published:
// lastLogTerm stays unset.
import type { MemberStatus } from '../db.ts';
import type { EtcdRaftStatus } from './api.ts';

export interface EtcdMemberView {
  /** From maintenance/status (node, up, leader, raft_index ...). */
  member: MemberStatus;
  /** From /debug/vars; absent when it did not answer. */
  raft?: EtcdRaftStatus;
}

/** Each member's status with the Raft fields filled where etcd tells them; `nodeOfId`: hex member id -> node name. */
export function withRaftFields(views: readonly EtcdMemberView[], nodeOfId: (hexId: string) => string | undefined): MemberStatus[] {
  // The member that leads in the highest term knows everyone's match (a deposed leader's view is stale).
  const leader = views
    .filter((v) => v.raft?.raftState === 'StateLeader')
    .sort((a, b) => b.raft!.term - a.raft!.term)[0]?.raft;
  return views.map(({ member, raft }) => {
    if (!raft || !member.up) return member;
    const match = (raft.raftState === 'StateLeader' ? raft : leader)?.progress[raft.id]?.match;
    return {
      ...member,
      term: raft.term,
      commitIndex: raft.commit,
      votedFor: raft.vote === '0' ? null : (nodeOfId(raft.vote) ?? raft.vote),
      ...(match === undefined ? {} : { lastLogIndex: match }),
    };
  });
}
