// The mutation suite: plausible Raft bugs nobody planted for a recipe, each
// off by default and switched on with `--mutant NAME`. They exist to measure
// faultline itself (`npm run validate -- --mutants`): how many of them does a
// user's ordinary run catch? Recipes never use them (those use bugs.ts).
//
// Each mutant breaks one rule of the Raft paper (Figure 2 and §5; the thesis
// for ReadIndex) by one small conditional at that rule, marked
// `// mutant NAME: ...` where it lives (raft/node.ts, server.ts, storage.ts).
// Every one is a different mechanism, and none repeats a seeded bug.
//
// Two sets:
//   tuning    what faultline's adversarial nemeses and explore mode may be
//             developed against.
//   held-out  measured, never tuned to: the yardstick for whether what was
//             tuned on the first set generalises. Do not look at these while
//             developing nemeses or explore heuristics, and never add a
//             nemesis or heuristic aimed at one of them by name or mechanism.
import { parseSwitches } from './switches.ts';

export type MutantSet = 'tuning' | 'held-out';

export interface Mutant {
  /** One line: which rule is broken, in the Raft paper's terms. */
  description: string;
  set: MutantSet;
}

export const MUTANTS = {
  // ---- tuning ---------------------------------------------------------------
  'quorum-off-by-one': {
    set: 'tuning',
    description: 'the majority is computed as floor(n/2) instead of floor(n/2)+1: elections, commits and ReadIndex rounds need one member fewer, so two quorums need not overlap',
  },
  'vote-ignores-log': {
    set: 'tuning',
    description: "(pre-)votes are granted without the election restriction (§5.4.1): a candidate whose log is behind the voter's can win and overwrite committed entries",
  },
  'append-skips-prev-check': {
    set: 'tuning',
    description: 'a follower accepts AppendEntries when it has any entry at prevLogIndex, without comparing prevLogTerm (Figure 2, AppendEntries rule 2): log matching breaks',
  },
  'follower-commit-beyond-match': {
    set: 'tuning',
    description: "a follower sets commitIndex = min(leaderCommit, its own last index) instead of min(leaderCommit, index of last new entry): it commits a stale tail the leader never confirmed",
  },
  'vote-not-persisted': {
    set: 'tuning',
    description: 'votedFor is not persisted (the hard state file keeps the term only): after a restart the node can vote again in a term it already voted in',
  },
  'leader-ignores-higher-term': {
    set: 'tuning',
    description: 'a leader does not step down on a higher term in replies (Figure 2, "all servers" rule 2) and counts those replies as acknowledgements: a deposed leader keeps serving',
  },
  'snapshot-drops-newer-entries': {
    set: 'tuning',
    description: 'installing a snapshot discards the whole log even when an entry matches the snapshot\'s last index and term (InstallSnapshot rule 6): acknowledged entries after it are lost',
  },
  'read-index-before-own-commit': {
    set: 'tuning',
    description: 'ReadIndex uses the commit index before the new leader has committed an entry of its own term (thesis §6.4 step 1): reads may miss writes the previous leader committed',
  },
  'double-vote': {
    set: 'tuning',
    description: 'a node grants a second vote in a term it already voted in (RequestVote rule 2: votedFor must be null or the candidate): two leaders in one term',
  },
  'stale-term-append': {
    set: 'tuning',
    description: 'a follower accepts AppendEntries from a leader of an older term (AppendEntries rule 1: reply false if term < currentTerm): a deposed leader overwrites entries',
  },
  // ---- held-out: measured, never tuned to ---------------------------------------
  'match-index-from-own-log': {
    set: 'held-out',
    description: "on any successful AppendEntries reply the leader sets the follower's matchIndex to its own last index, not the index the reply confirms: it commits entries a majority lacks",
  },
  'term-not-restored': {
    set: 'held-out',
    description: 'a restart restores votedFor but not currentTerm (back to term 0): the vote no longer binds its term, and the node takes leaders of terms it had left',
  },
  'votes-from-older-term-counted': {
    set: 'held-out',
    description: "a candidate counts granted votes that answer an earlier term's RequestVote: it can win a term without a majority voting in that term",
  },
  'append-truncates-suffix': {
    set: 'held-out',
    description: 'a follower cuts its log after prevLogIndex on every AppendEntries, heartbeats included, conflict or not (rule 3 truncates only on conflict): a delayed append drops acknowledged entries',
  },
  'truncation-lost-on-restart': {
    set: 'held-out',
    description: 'replaying the log file, a rewritten index replaces that entry alone, not the entries after it: a restart resurrects a suffix a new leader had truncated',
  },
} as const satisfies Record<string, Mutant>;

export type MutantName = keyof typeof MUTANTS;
export type Mutants = ReadonlySet<MutantName>;

export const NO_MUTANTS: Mutants = new Set<MutantName>();

/**
 * A planted bug acting: at its marked line the node did what the rule would
 * not have (granted a vote the rule refuses, committed what a majority lacks,
 * ...). A mutant that never acts in a run cannot be caught by that run, so
 * these tell "the faults never led the system there" from "faultline's
 * checkers missed it". Written for measurement only: nothing reads them back.
 */
export interface MutantAct {
  mutant: MutantName;
  /** The node's term when it acted. */
  term: number;
}

/** The host's log line for an act: `mutant-acted ` + JSON. */
export function mutantActLine(a: MutantAct): string {
  return `mutant-acted ${JSON.stringify(a)}`;
}

const ACT_LINE = / ?mutant-acted (\{.*\})$/;

/** Acts per mutant in one node's log (lines of other kinds, and unreadable ones, are skipped). */
export function mutantActsOfLog(text: string): Map<MutantName, number> {
  const counts = new Map<MutantName, number>();
  for (const line of text.split('\n')) {
    const json = ACT_LINE.exec(line)?.[1];
    if (json === undefined) continue;
    try {
      const { mutant } = JSON.parse(json) as { mutant?: unknown };
      if (typeof mutant === 'string' && mutant in MUTANTS) counts.set(mutant as MutantName, (counts.get(mutant as MutantName) ?? 0) + 1);
    } catch {
      // cut off by a kill
    }
  }
  return counts;
}

/** Mutant names of one set, in table order. */
export function mutantsOf(set: MutantSet): MutantName[] {
  return (Object.keys(MUTANTS) as MutantName[]).filter((name) => MUTANTS[name].set === set);
}

/** Parse mutant names from the command line; throws on an unknown one, listing the known ones. */
export function parseMutants(names: readonly string[]): Mutants {
  return parseSwitches(MUTANTS, names, 'mutant');
}
