// Coverage of an etcd run from its members' logs: etcd 3.4 as etcdDb() starts
// it (--logger=zap --log-outputs=stderr, into nodes/<node>/etcd.log), one JSON
// object a line whose `msg` is what its raft and etcdserver packages say at
// INFO level. Pure: text in, counts out. The messages (etcd 3.4.23):
//   raft: "a20cdaf76b29d939 became leader at term 3"
//   raft: "56672756649cfed3 became follower at term 3"   (and candidate, pre-candidate: the term now)
//   raft: "found conflict at index 14 [existing term: 2, conflicting term: 3]"
//   raft: "56672756649cfed3 [term: 3] received a MsgAppResp message with higher term from a20cdaf76b29d939 [term: 5]"
//   raft: "48d354dc9a69bb7e [logterm: 2, index: 13, vote: 0] cast MsgVote for a20cdaf76b29d939 [logterm: 2, index: 13] at term 3"
//   raft: "56672756649cfed3 [logterm: 3, index: 25, vote: 0] rejected MsgVote from a20cdaf76b29d939 [logterm: 2, index: 19] at term 6"
//   etcdserver: "applied incoming Raft snapshot", "restarting local member",
//               "first commit in current term: resending ReadIndex request"
import { countEvent, coverageOfNodes, type Coverage, type CoverageCounts, type CoverageEvent } from '../../history/index.ts';

const SOURCE = 'etcd member logs (zap JSON, INFO)';

/** What etcd 3.4 does not log: a leader's commit index when it steps down, and its commits. */
const UNSUPPORTED: CoverageEvent[] = ['leader-change-with-uncommitted', 'earlier-term-commit'];

const NOTES = [
  'elected-with-stale-log: a "found conflict" whose incoming entry carries the member\'s current term (the new leader\'s first entry overwrote a longer log)',
  'read-during-leader-change: "first commit in current term: resending ReadIndex request" (a linearizable read was waiting when a new leader\'s first entry applied)',
];

export const BECAME = /^([0-9a-f]+) became (follower|candidate|pre-candidate|leader) at term (\d+)$/;
const CONFLICT = /^found conflict at index \d+ \[existing term: \d+, conflicting term: (\d+)\]$/;
export const HIGHER_TERM = /^([0-9a-f]+) \[term: (\d+)\] received a \w+ message with higher term from [0-9a-f]+ \[term: (\d+)\]$/;
export const VOTE = /^([0-9a-f]+) \[logterm: (\d+), index: (\d+), vote: [0-9a-f]+\] (cast|rejected) (MsgVote|MsgPreVote) (?:for|from) ([0-9a-f]+) \[logterm: (\d+), index: (\d+)\] at term (\d+)$/;

/** The INFO messages that are an event whatever else they say. */
const PLAIN: Record<string, CoverageEvent> = {
  'applied incoming Raft snapshot': 'snapshot-installed',
  'restarting local member': 'restart-recovered',
  'first commit in current term: resending ReadIndex request': 'read-during-leader-change',
};

/** One member's log, in order (the current term is followed along it). */
export function coverageFromEtcdLog(text: string): Coverage {
  const events: CoverageCounts = {};
  let term = 0;
  let jsonLines = 0;
  for (const line of text.split('\n')) {
    const msg = messageOf(line);
    if (msg === undefined) continue;
    jsonLines++;
    const plain = PLAIN[msg];
    if (plain) {
      countEvent(events, plain);
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = BECAME.exec(msg))) {
      term = Number(m[3]);
      if (m[2] === 'leader') countEvent(events, 'leader-elected');
    } else if ((m = CONFLICT.exec(msg))) {
      countEvent(events, 'log-truncated');
      // Only the new leader writes entries of its term, its no-op first: our log was longer than its log at election.
      if (Number(m[1]) === term) countEvent(events, 'elected-with-stale-log');
    } else if ((m = HIGHER_TERM.exec(msg))) {
      if (Number(m[3]) > Number(m[2]) + 1) countEvent(events, 'term-jump');
    } else if ((m = VOTE.exec(msg))) {
      const [ourTerm, ourIndex, verdict, kind, theirTerm, theirIndex] = [Number(m[2]), Number(m[3]), m[4], m[5], Number(m[7]), Number(m[8])];
      if (verdict === 'cast' && kind === 'MsgVote') countEvent(events, 'vote-granted');
      const behind = theirTerm < ourTerm || (theirTerm === ourTerm && theirIndex < ourIndex);
      if (verdict === 'rejected' && behind) countEvent(events, 'vote-rejected-stale-log');
    }
  }
  const notes = text.trim() !== '' && jsonLines === 0 ? ['no zap JSON lines in the log: was etcd started with --logger=zap?'] : [];
  return { events, source: SOURCE, unsupported: UNSUPPORTED, notes: [...NOTES, ...notes] };
}

/** The `msg` of one zap JSON line; undefined for anything else (panics, blank lines). */
export function messageOf(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const msg = (JSON.parse(line) as { msg?: unknown }).msg;
    return typeof msg === 'string' ? msg : undefined;
  } catch {
    return undefined;
  }
}

/** The run's coverage: each member's log (node name -> text) counted and summed. */
export function etcdCoverage(logs: ReadonlyMap<string, string>): Coverage {
  return coverageOfNodes(logs, coverageFromEtcdLog);
}
