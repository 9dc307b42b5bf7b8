// Interesting Raft events the core reports at the moment they happen
// (Ready.events), so a test harness can tell which corners of the protocol a
// run reached. The host writes each as one `coverage {json}` line to its log,
// which outlives a SIGKILL (counters in memory would not). faultline's names
// and meanings (history/coverage.ts) match these one for one.

export const RAFT_EVENTS = [
  'leader-elected', // this node became leader
  'elected-with-stale-log', // our log was more up to date than our new leader's was when it won (seen when its first entry overwrote ours)
  'log-truncated', // we cut entries that conflicted with the leader's
  'leader-change-with-uncommitted', // we stopped leading with entries above our commit index
  'snapshot-installed', // we replaced our state with the leader's snapshot
  'term-jump', // our term rose by more than one at once
  'read-during-leader-change', // we stopped leading with reads still waiting for their quorum round
  'earlier-term-commit', // as leader, our commit index passed entries of an earlier term
  'vote-granted', // we voted for a candidate (pre-votes not counted)
  'vote-rejected-stale-log', // we refused a vote or pre-vote: the candidate's log was behind ours
  'restart-recovered', // we started from durable state (term, log or snapshot)
] as const;

export type RaftEventName = (typeof RAFT_EVENTS)[number];

export interface RaftEvent {
  event: RaftEventName;
  /** This node's term when it happened (before a term change it reports). */
  term: number;
  /** What makes the line useful to a reader: indexes, the other node, counts. */
  [detail: string]: string | number | boolean | null;
}

/** The log line the host writes for an event; `coverage ` + JSON, parsed back by the harness. */
export function eventLine(e: RaftEvent): string {
  return `coverage ${JSON.stringify(e)}`;
}
