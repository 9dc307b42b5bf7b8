// The Raft trace of an etcd run (history/raft-trace.ts) from its members'
// zap JSON logs, the same INFO messages coverage.ts counts:
//   "<id> became leader at term 3"                       -> leader (others: the term)
//   "<id> [logterm: 2, index: 13, vote: 0] cast MsgVote for <cand> [...] at term 3" -> vote
// A vote names its candidate by etcd member id; only one member's own votes
// are compared with each other, so the id is kept, except the member's own
// id, which becomes its node name (a member that won a term voted for itself).
// etcd logs no commit index with a conflict, and no term when it restarts
// (the "became follower at term N" after it carries the restored term).
// A member wiped and added back (the member nemesis) logs under a new member
// id and starts again at term 0 with no vote: a new member, whose durable
// state legitimately begins anew, so its lines count as another node's
// ("n2 (member 8e9e05c52164694d)").
import { traceOfNodes, type RaftObservation, type RaftTrace } from '../../history/index.ts';
import { BECAME, HIGHER_TERM, messageOf, VOTE } from './coverage.ts';

const SOURCE = 'etcd member logs (zap JSON, INFO)';

const UNSUPPORTED: Record<string, string> = {
  'committed-entries-kept': 'etcd logs a conflict ("found conflict at index N") without its commit index',
  'applied-entries-agree': 'etcd logs nothing about the entries it applies',
};

export function etcdTraceOfLog(member: string, text: string): RaftTrace {
  const observations: RaftObservation[] = [];
  let self: string | undefined;
  let first: string | undefined;
  let node = member;
  /** Note which member id speaks: a new one after the first is a new incarnation of the node. */
  const speaker = (id: string) => {
    self = id;
    first ??= id;
    node = id === first ? member : `${member} (member ${id})`;
  };
  for (const line of text.split('\n')) {
    const msg = messageOf(line);
    if (msg === undefined) continue;
    let m: RegExpExecArray | null;
    if ((m = BECAME.exec(msg))) {
      speaker(m[1]);
      const term = Number(m[3]);
      observations.push(m[2] === 'leader' ? { node, what: 'leader', term } : { node, what: 'term', term });
    } else if ((m = VOTE.exec(msg))) {
      speaker(m[1]);
      const term = Number(m[9]);
      if (m[4] === 'cast' && m[5] === 'MsgVote') observations.push({ node, what: 'vote', term, candidate: m[6] === self ? node : m[6] });
      else if (m[5] === 'MsgVote') observations.push({ node, what: 'term', term });
    } else if ((m = HIGHER_TERM.exec(msg))) {
      // Its speaker too: a new member's first words may be this line, with its term still 0.
      speaker(m[1]);
      observations.push({ node, what: 'term', term: Number(m[2]) });
    }
  }
  return { source: SOURCE, observations, unsupported: UNSUPPORTED, notes: [] };
}

export function etcdTrace(logs: ReadonlyMap<string, string>): RaftTrace {
  return traceOfNodes(logs, etcdTraceOfLog);
}
