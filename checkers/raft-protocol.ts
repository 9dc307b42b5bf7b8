// Raft's own safety rules, held against what the members logged about
// themselves (history/raft-trace.ts). The client-facing checkers see a bug
// only when a client happens to read the damage; these rules see the
// protocol break at the moment it breaks, whether or not a client noticed:
// two leaders in one term are a bug even if neither lived long enough to
// serve a stale read.
//
//   one-leader-per-term      Election Safety (Raft §5.2): a term elects at
//                            most one leader.
//   one-vote-per-term        RequestVote (Figure 2): a member votes at most
//                            once a term, and votedFor survives a restart; a
//                            member that won a term voted for itself in it.
//   terms-never-decrease     currentTerm is durable state and only grows
//                            (§5.1), across restarts included.
//   committed-entries-kept   a member never removes an entry it knew to be
//                            committed (Leader Completeness, State Machine
//                            Safety, §5.4): commit means never undone.
//   applied-entries-agree    State Machine Safety (§5.4.3): once a member
//                            applied an entry at an index, no member (itself
//                            after a restart included) applies a different
//                            one there. Entries are told apart by term and a
//                            digest of their command.
//
// valid: every rule held over every observation; invalid: the first
// violations of each rule, each explained from the lines that break it;
// unknown: no member logged anything to hold to the rules.
import type { History } from '../history/index.ts';
import type { RaftObservation, RaftTrace, TermObservation } from '../history/index.ts';
import type { CheckContext, Checker } from './checker.ts';
import type { CheckResult } from './result.ts';

export const RAFT_RULES = ['one-leader-per-term', 'one-vote-per-term', 'terms-never-decrease', 'committed-entries-kept', 'applied-entries-agree'] as const;
export type RaftRule = (typeof RAFT_RULES)[number];

export interface RaftViolation {
  rule: RaftRule;
  nodes: string[];
  term: number;
  /** Why this breaks the rule, from the observations. */
  explanation: string;
}

export interface RaftProtocolDetails {
  violations: RaftViolation[];
  /** Observations held to the rules, by kind. */
  observed: Record<RaftObservation['what'], number>;
  /** Rules the DB's logs cannot show, and why (from the trace). */
  unsupported: Record<string, string>;
}

/** At most this many violations of one rule are listed (the first ones, in trace order). */
const MAX_PER_RULE = 5;

export function checkRaftProtocol(trace: RaftTrace): CheckResult {
  const obs = trace.observations;
  const observed = { leader: 0, vote: 0, restart: 0, truncate: 0, term: 0, applied: 0 };
  for (const o of obs) observed[o.what] += o.what === 'applied' ? o.entries.length : 1;
  const violations = [...leaderViolations(obs), ...voteViolations(obs), ...termViolations(obs), ...commitViolations(obs), ...appliedViolations(obs)];
  const details: RaftProtocolDetails = { violations, observed, unsupported: trace.unsupported };
  const checked = RAFT_RULES.filter((r) => !(r in trace.unsupported));
  if (violations.length > 0) {
    const broken = [...new Set(violations.map((v) => v.rule))];
    return { checker: 'raft-protocol', valid: false, summary: `Raft's rules broken: ${broken.join(', ')}. ${violations[0].explanation}`, details };
  }
  if (obs.length === 0) {
    return { checker: 'raft-protocol', valid: 'unknown', summary: `the members logged no Raft events (${trace.source}): nothing to hold to Raft's rules`, details };
  }
  return {
    checker: 'raft-protocol',
    valid: true,
    summary: `${checked.join(', ')} held over ${obs.length} observations (${observed.leader} elections won, ${observed.vote} votes, ${observed.restart} restarts, ${observed.truncate} truncations, ${observed.applied} entries applied)`,
    details,
  };
}

function firstOf(violations: RaftViolation[]): RaftViolation[] {
  return violations.slice(0, MAX_PER_RULE);
}

/** Two different members won the same term. */
function leaderViolations(obs: readonly RaftObservation[]): RaftViolation[] {
  const winners = new Map<number, string>();
  const out: RaftViolation[] = [];
  for (const o of obs) {
    if (o.what !== 'leader') continue;
    const first = winners.get(o.term);
    if (first === undefined) winners.set(o.term, o.node);
    else if (first !== o.node) {
      out.push({
        rule: 'one-leader-per-term',
        nodes: [first, o.node],
        term: o.term,
        explanation: `${first} and ${o.node} both became leader of term ${o.term}. Each needed votes from a majority in term ${o.term}; two majorities share a member, and that member voted twice in one term, or a vote was counted that was not cast.`,
      });
    }
  }
  return firstOf(out);
}

/** A member that voted for two candidates in one term, or voted for another in a term it won itself. */
function voteViolations(obs: readonly RaftObservation[]): RaftViolation[] {
  // node -> term -> whom it voted for (itself when it won)
  const votes = new Map<string, Map<number, { candidate: string; how: string }>>();
  const out: RaftViolation[] = [];
  // Restarts do not reset it: votedFor is durable.
  for (const o of obs) {
    if (o.what !== 'vote' && o.what !== 'leader') continue;
    const candidate = o.what === 'vote' ? o.candidate : o.node;
    const how = o.what === 'vote' ? `granted its vote to ${candidate}` : 'won the election (its own vote)';
    const byTerm = votes.get(o.node) ?? new Map();
    votes.set(o.node, byTerm);
    const earlier = byTerm.get(o.term);
    if (earlier === undefined) {
      byTerm.set(o.term, { candidate, how });
      continue;
    }
    if (earlier.candidate === candidate) continue;
    out.push({
      rule: 'one-vote-per-term',
      nodes: [o.node],
      term: o.term,
      explanation: `${o.node} ${earlier.how} in term ${o.term}, then ${how} in the same term. A member has one vote a term, and keeps its record of it across restarts (votedFor is durable state).`,
    });
  }
  return firstOf(out);
}

/** A member whose term went back, restarts included. */
function termViolations(obs: readonly RaftObservation[]): RaftViolation[] {
  const last = new Map<string, TermObservation>();
  const out: RaftViolation[] = [];
  for (const o of obs) {
    if (o.what === 'applied') continue; // an applied entry's term is its own, not the member's
    const before = last.get(o.node);
    last.set(o.node, o);
    if (!before || o.term >= before.term) continue;
    const where = o.what === 'restart' ? `restarted in term ${o.term}` : `later logged term ${o.term}`;
    out.push({
      rule: 'terms-never-decrease',
      nodes: [o.node],
      term: o.term,
      explanation: `${o.node} was in term ${before.term} and ${where}. A member's current term only grows and is durable state: going back lets it accept leaders and grant votes of terms it had already left.`,
    });
  }
  return firstOf(out);
}

/** A member that removed an entry at or below its own commit index. */
function commitViolations(obs: readonly RaftObservation[]): RaftViolation[] {
  const out: RaftViolation[] = [];
  for (const o of obs) {
    if (o.what !== 'truncate' || o.commit === undefined || o.index > o.commit) continue;
    out.push({
      rule: 'committed-entries-kept',
      nodes: [o.node],
      term: o.term,
      explanation: `${o.node} removed its entries from index ${o.index} on in term ${o.term}, with its commit index at ${o.commit}: committed entries were undone. A committed entry is in every later leader's log, so no leader's append can conflict with it.`,
    });
  }
  return firstOf(out);
}

/** Two members (or one, before and after a restart) that applied different entries at one index. */
function appliedViolations(obs: readonly RaftObservation[]): RaftViolation[] {
  const first = new Map<number, { node: string; id: string }>(); // index -> the first entry applied there
  const out: RaftViolation[] = [];
  for (const o of obs) {
    if (o.what !== 'applied') continue;
    o.entries.forEach((id, k) => {
      const index = o.from + k;
      const earlier = first.get(index);
      if (earlier === undefined) first.set(index, { node: o.node, id });
      else if (!sameEntry(earlier.id, id)) {
        const who = earlier.node === o.node ? `${o.node} applied` : `${earlier.node} applied`;
        const then = earlier.node === o.node ? `later (after a restart) ${describe(id)}` : `${o.node} applied ${describe(id)}`;
        out.push({
          rule: 'applied-entries-agree',
          nodes: [...new Set([earlier.node, o.node])],
          term: termOf(id),
          explanation: `${who} ${describe(earlier.id)} at index ${index}; ${then} at the same index. Their state machines executed different commands at one log position: State Machine Safety (§5.4.3) says an index, once applied anywhere, holds the same entry everywhere.`,
        });
      }
    });
  }
  return firstOf(out);
}

/** `term:digest` ids name the same entry when the terms match and the digests do, where both are known. */
function sameEntry(a: string, b: string): boolean {
  const [ta, da] = a.split(':');
  const [tb, db] = b.split(':');
  return ta === tb && (!da || !db || da === db);
}

const termOf = (id: string): number => Number(id.split(':')[0]);

function describe(id: string): string {
  const [term, digest] = id.split(':');
  return digest ? `the entry of term ${term} (command digest ${digest})` : `the entry of term ${term} (a snapshot's last entry)`;
}

/** The checker: the trace comes with the context (the run loop reads it from the node logs after teardown). */
export function raftProtocolChecker(): Checker {
  return {
    name: 'raft-protocol',
    check(_history: History, ctx: CheckContext): CheckResult {
      if (!ctx.raftTrace) return { checker: 'raft-protocol', valid: 'unknown', summary: 'no Raft trace: this DB does not log its protocol events (or the run folder has no raft-trace.json)' };
      return checkRaftProtocol(ctx.raftTrace);
    },
  };
}
