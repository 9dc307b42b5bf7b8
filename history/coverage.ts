// Coverage of a run: how often it reached each interesting Raft event (an
// election won by a member whose log was behind another's, a truncated
// follower log, a snapshot install ...), read from the nodes' logs after the
// run. Like the history it is a record of the run (coverage.json in the run
// folder); explore mode keeps the fault schedules that reach new events, so
// the shape is flat counts by a fixed set of names, cheap to compare.

/**
 * The events, in the order reports list them. What each one means (every
 * DB's parser counts exactly this, or lists the event as unsupported):
 * - leader-elected: a member became leader (counted on the winner).
 * - elected-with-stale-log: a member won an election while another member's log was more up to
 *   date than the winner's (Raft §5.4.1: higher last term, or same last term and longer). Seen on
 *   that other member when the new leader's first entry of its term overwrites one of its entries:
 *   a conflict whose incoming entry carries the leader's current term.
 * - log-truncated: a follower removed entries that conflicted with its leader's.
 * - leader-change-with-uncommitted: a leader stepped down while its log held entries above its commit index.
 * - snapshot-installed: a follower replaced its state with a snapshot sent by the leader.
 * - term-jump: a member's term rose by more than one at once (it learned of elections it missed).
 * - read-during-leader-change: a linearizable read was pending when leadership changed.
 * - earlier-term-commit: a leader's commit index advanced over entries of an earlier term (beneath its own no-op).
 * - vote-granted: a member granted its vote in an election (pre-votes not counted).
 * - vote-rejected-stale-log: a member refused a vote or pre-vote because the candidate's log was behind its own.
 * - restart-recovered: a member restarted from its durable state (term, log, snapshot).
 */
export const COVERAGE_EVENTS = [
  'leader-elected',
  'elected-with-stale-log',
  'log-truncated',
  'leader-change-with-uncommitted',
  'snapshot-installed',
  'term-jump',
  'read-during-leader-change',
  'earlier-term-commit',
  'vote-granted',
  'vote-rejected-stale-log',
  'restart-recovered',
] as const;

export type CoverageEvent = (typeof COVERAGE_EVENTS)[number];

/** How many times each event happened; an event never reached is absent (not 0). */
export type CoverageCounts = Partial<Record<CoverageEvent, number>>;

export interface Coverage {
  /** Summed over the members. */
  events: CoverageCounts;
  /** The same counts per member (node name -> counts). */
  perNode?: Record<string, CoverageCounts>;
  /** Where the counts come from, e.g. 'raftkv node logs'. */
  source: string;
  /** Events this DB's logs cannot show: absent from `events` because unknowable, not because unreached. */
  unsupported: CoverageEvent[];
  /** Caveats on how the counts were read. */
  notes: string[];
}

export function isCoverageEvent(name: unknown): name is CoverageEvent {
  return typeof name === 'string' && (COVERAGE_EVENTS as readonly string[]).includes(name);
}

/** Adds one occurrence of `event` to `counts` (in place). */
export function countEvent(counts: CoverageCounts, event: CoverageEvent): void {
  counts[event] = (counts[event] ?? 0) + 1;
}

/**
 * A run's coverage from every member's log (node name -> text): `parse`
 * reads one log; the counts are summed over the members and kept per member.
 * What the parser says of any log (an empty one): its source, unsupported
 * events and standing notes; a note about one member's log is prefixed with it.
 */
export function coverageOfNodes(logs: ReadonlyMap<string, string>, parse: (text: string) => Coverage): Coverage {
  const { source, unsupported, notes: standing } = parse('');
  const events: CoverageCounts = {};
  const perNode: Record<string, CoverageCounts> = {};
  const notes = [...standing];
  for (const [node, text] of logs) {
    const one = parse(text);
    perNode[node] = one.events;
    for (const event of COVERAGE_EVENTS) if (one.events[event]) events[event] = (events[event] ?? 0) + one.events[event]!;
    notes.push(...one.notes.filter((note) => !standing.includes(note)).map((note) => `${node}: ${note}`));
  }
  return { events, perNode, source, unsupported, notes };
}
