// What each member said about its own Raft protocol state, in the order it
// said it (its log, kept across restarts): elections won, votes cast, terms
// seen, restarts, entries removed. Like coverage it is read from the node
// logs after the run and kept in the run folder (raft-trace.json); unlike
// coverage it keeps who and which term, so checkers/raft-protocol.ts can
// hold the members to Raft's own safety rules (one leader and one vote per
// term, terms that never go back, committed entries never removed, one
// entry applied per index).

export type RaftObservation =
  /** The member won the election of `term`. */
  | { node: string; what: 'leader'; term: number }
  /** The member granted its vote in `term` to `candidate` (pre-votes are not votes). */
  | { node: string; what: 'vote'; term: number; candidate: string }
  /** The member started again from its durable state; `term` is the term it restored. */
  | { node: string; what: 'restart'; term: number }
  /** The member removed the entries from `index` on; `commit` is its commit index then (when it says). */
  | { node: string; what: 'truncate'; term: number; index: number; commit?: number }
  /** Anything else the member logged with its current term. */
  | { node: string; what: 'term'; term: number }
  /**
   * The member applied entries `from`, `from + 1`, … to its state machine,
   * each named `term:digest` of its command (`term:` when only the term is
   * known, as for a snapshot's last entry). Carries no current term.
   */
  | { node: string; what: 'applied'; from: number; entries: string[] };

/** Observations that carry the member's current term (all but `applied`). */
export type TermObservation = Exclude<RaftObservation, { what: 'applied' }>;

export interface RaftTrace {
  /** Where the observations come from, e.g. 'raftkv node logs (coverage lines)'. */
  source: string;
  /** Every member's observations, each member's in its log order (members one after another). */
  observations: RaftObservation[];
  /** Rules this DB's logs cannot show (checkers/raft-protocol.ts names), and why. */
  unsupported: Record<string, string>;
  notes: string[];
}

/** A run's trace from every member's log (node name -> text); `parse` reads one member's log. */
export function traceOfNodes(logs: ReadonlyMap<string, string>, parse: (node: string, text: string) => RaftTrace): RaftTrace {
  const { source, unsupported, notes: standing } = parse('', '');
  const observations: RaftObservation[] = [];
  const notes = [...standing];
  for (const [node, text] of logs) {
    const one = parse(node, text);
    observations.push(...one.observations);
    notes.push(...one.notes.filter((n) => !standing.includes(n)).map((n) => `${node}: ${n}`));
  }
  return { source, observations, unsupported, notes };
}

export function isRaftTrace(value: unknown): value is RaftTrace {
  const t = value as Partial<RaftTrace> | null;
  return typeof t === 'object' && t !== null && typeof t.source === 'string' && Array.isArray(t.observations) && Array.isArray(t.notes);
}
