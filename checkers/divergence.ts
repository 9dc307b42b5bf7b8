// Replica divergence, the way etcd found its 3.5 data inconsistency: once the
// faults are healed and the cluster is quiet, every member hashes its state
// at the SAME applied index; members that agree on the log but not on the
// state have diverged (a skipped or re-applied entry, a bad snapshot, a lost
// write replayed differently), even when no client read happened to see it.
//
// The collection happens at the edge (workloads/divergence): one final-phase
// op per node, f 'state-hash', whose ok completion is a StateReport. This
// checker only compares what the history recorded:
//   valid   - every node reported the same hash at one common index;
//   invalid - at the common index some members' hashes differ from the
//             majority's: it names them and, when the DB could list its keys,
//             the first keys whose values differ;
//   unknown - fewer than two nodes reported at a common index, or some node
//             could not report there (the ones that did agree).
// When the DB also reports the hash after each earlier applied index it still
// remembers (raftkv), those are compared too: two members that applied the
// same entries must have had the same state after each of them, so a member
// whose state was damaged and later overwritten (by a newer snapshot, say)
// is invalid as well, named with the first index where it differed.
import type { History, Op } from '../history/index.ts';
import type { CheckResult } from './result.ts';
import { clientPairs, outcome } from './invariants/pairs.ts';

/** The op f of a state observation. Other checkers ignore these ops (withoutStateHashes). */
export const STATE_HASH_F = 'state-hash';

/** What one node says about its state, the ok value of a state-hash op. */
export interface StateReport {
  node: string;
  /** The applied index (raftkv) or revision (etcd) the hash describes. */
  index: number;
  hash: string;
  /** Sorted [key, value shown] pairs at `keysIndex`, when the DB can list them. */
  keys?: Array<[string, string]>;
  /** The index the key listing describes (compared only when it equals `index`). */
  keysIndex?: number;
  /** True when the listing was cut short. */
  keysTruncated?: boolean;
  /** The node's Raft term when it reported, when the DB says (checkers/elections.ts counts elections with it). */
  term?: number;
  /** [index, hash] after earlier applied indexes, in index order, when the DB remembers them. */
  history?: Array<[number, string]>;
  /** What this member's difference from the others proves, in a sentence, when the DB's state can say (ZooKeeper: a transaction it skipped). */
  proof?: string;
  /** The node is not a member of the cluster at the common index (a membership change left it out): nothing of its to compare. */
  notMember?: true;
}

/** The first index at which members that both applied it had different states. */
export interface EarlierDivergence {
  index: number;
  reference: { hash: string; members: string[] };
  divergent: Array<{ node: string; hash: string }>;
}

export interface DifferingKey {
  key: string;
  /** Value on the reference (majority) member; null when absent there. */
  reference: string | null;
  /** Value on the divergent member; null when absent there. */
  member: string | null;
}

export interface DivergentMember {
  node: string;
  hash: string;
  /** History index of this member's state-hash invoke (the op the checker blames). */
  op: number;
  /** Set when both sides listed their keys at the common index. */
  firstDifferingKeys?: DifferingKey[];
}

export interface DivergenceDetails {
  /** The index every member was asked to hash at (the one most nodes reported). */
  commonIndex: number | null;
  /** The majority's hash and the member whose keys serve as the reference. */
  reference?: { hash: string; node: string; members: string[] };
  divergent: DivergentMember[];
  /** Nodes with no report at the common index, and why. */
  missing: Array<{ node: string; reason: string }>;
  /** Every report used, by node. */
  reports: Record<string, { index: number; hash: string }>;
  /** Nodes that reported they are not members at the end: left out of the comparison, not missing. */
  nonMembers?: string[];
  /** The first earlier index where members' states differed (from the reports' histories). */
  earlier?: EarlierDivergence;
}

/** How many differing keys an explanation shows per member. */
export const MAX_DIFFERING_KEYS = 5;

/** True for ops that observe a node's internal state rather than use the DB's API. */
export function isStateObservation(op: Op): boolean {
  return op.f === STATE_HASH_F;
}

/** The history without state observations, for checkers that only understand the workload's own ops. */
export function withoutStateHashes(history: History): History {
  return history.some(isStateObservation) ? history.filter((op) => !isStateObservation(op)) : history;
}

/** The first keys whose values differ between two sorted listings. */
export function firstDifferingKeys(reference: ReadonlyArray<[string, string]>, member: ReadonlyArray<[string, string]>, max = MAX_DIFFERING_KEYS): DifferingKey[] {
  const out: DifferingKey[] = [];
  let i = 0;
  let j = 0;
  while ((i < reference.length || j < member.length) && out.length < max) {
    const a = reference[i];
    const b = member[j];
    if (b === undefined || (a !== undefined && a[0] < b[0])) {
      out.push({ key: a[0], reference: a[1], member: null });
      i++;
    } else if (a === undefined || b[0] < a[0]) {
      out.push({ key: b[0], reference: null, member: b[1] });
      j++;
    } else {
      if (a[1] !== b[1]) out.push({ key: a[0], reference: a[1], member: b[1] });
      i++;
      j++;
    }
  }
  return out;
}

function isReport(v: unknown): v is StateReport {
  const r = v as StateReport;
  return typeof r === 'object' && r !== null && typeof r.node === 'string' && typeof r.index === 'number' && typeof r.hash === 'string';
}

/** The index most nodes reported (ties: the highest, the furthest common point). */
function mostCommonIndex(reports: Iterable<StateReport>): number | null {
  const counts = new Map<number, number>();
  for (const r of reports) counts.set(r.index, (counts.get(r.index) ?? 0) + 1);
  let best: number | null = null;
  for (const [index, n] of counts) {
    const bestN = best === null ? 0 : counts.get(best)!;
    if (n > bestN || (n === bestN && index > best!)) best = index;
  }
  return best;
}

/** Split nodes by hash: the largest group first (ties: the group holding the earliest node in `order`). */
function groupByHash(hashes: ReadonlyArray<[string, string]>, order: (node: string) => number): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const [node, hash] of hashes) groups.set(hash, [...(groups.get(hash) ?? []), node]);
  return [...groups].sort(([, a], [, b]) => b.length - a.length || Math.min(...a.map(order)) - Math.min(...b.map(order)));
}

/** The lowest index that two or more members hashed differently, from their reported histories. */
export function firstEarlierDivergence(reports: readonly StateReport[], order: (node: string) => number): EarlierDivergence | undefined {
  const byIndex = new Map<number, Array<[string, string]>>();
  for (const r of reports) {
    for (const [index, hash] of r.history ?? []) {
      const at = byIndex.get(index);
      if (at) at.push([r.node, hash]);
      else byIndex.set(index, [[r.node, hash]]);
    }
  }
  const indexes = [...byIndex.keys()].sort((a, b) => a - b);
  for (const index of indexes) {
    const groups = groupByHash(byIndex.get(index)!, order);
    if (groups.length < 2) continue;
    const [[hash, members], ...others] = groups;
    return { index, reference: { hash, members }, divergent: others.flatMap(([h, nodes]) => nodes.map((node) => ({ node, hash: h }))) };
  }
  return undefined;
}

function describeEarlier(e: EarlierDivergence): string {
  const who = e.divergent.map((d) => `${d.node} had ${d.hash}`).join(', ');
  return `at index ${e.index} ${who} while ${e.reference.members.join(', ')} had ${e.reference.hash}`;
}

const listedAt = (r: StateReport, index: number): r is StateReport & { keys: Array<[string, string]> } => r.keys !== undefined && r.keysIndex === index;

function describeKey(d: DifferingKey, member: string, reference: string): string {
  const show = (v: string | null) => (v === null ? 'absent' : JSON.stringify(v));
  return `${d.key} (${member} ${show(d.member)}, ${reference} ${show(d.reference)})`;
}

/** The nodes left out of the comparison for not being members, for a summary. */
const outside = (nonMembers: readonly string[]): string =>
  nonMembers.length ? ` (${nonMembers.join(', ')} ${nonMembers.length === 1 ? 'is' : 'are'} not a member at the end: not compared)` : '';

export function checkDivergence(history: History, ctx: { nodes: readonly string[] }): CheckResult {
  const pairs = clientPairs(history, 'divergence');
  if (!Array.isArray(pairs)) return pairs;
  // Per node, its last answer: a node asked twice keeps the later one, so an
  // earlier report does not stand for a state the node failed to report later.
  const latest = new Map<string, { report: StateReport; op: number }>();
  const errors = new Map<string, string>();
  for (const p of pairs) {
    if (!isStateObservation(p.invoke)) continue;
    const node = p.invoke.node ?? '?';
    if (outcome(p) === 'ok' && isReport(p.completion!.value)) {
      latest.set(node, { report: p.completion!.value, op: p.invoke.index });
      errors.delete(node);
    } else {
      errors.set(node, p.completion?.error ?? (outcome(p) === 'ok' ? 'malformed report' : 'no answer'));
      latest.delete(node);
    }
  }
  // The comparison follows the membership: a node out of the cluster at the end holds no replica to compare.
  const nonMembers = [...latest].filter(([, l]) => l.report.notMember).map(([n]) => n);
  for (const n of nonMembers) latest.delete(n);
  const nodes = (ctx.nodes.length > 0 ? [...ctx.nodes] : [...new Set([...latest.keys(), ...errors.keys()])].sort()).filter((n) => !nonMembers.includes(n));
  const reports = Object.fromEntries([...latest].map(([n, { report }]) => [n, { index: report.index, hash: report.hash }]));
  const base: Omit<DivergenceDetails, 'commonIndex' | 'missing'> = { divergent: [], reports, ...(nonMembers.length ? { nonMembers } : {}) };
  if (latest.size === 0 && errors.size === 0) {
    return {
      checker: 'divergence',
      valid: 'unknown',
      summary: 'no state-hash ops in the history: nothing to compare',
      details: { ...base, commonIndex: null, missing: nodes.map((node) => ({ node, reason: 'not asked' })) },
    };
  }

  const commonIndex = mostCommonIndex([...latest.values()].map((l) => l.report));
  const atCommon = [...latest].filter(([, l]) => l.report.index === commonIndex);
  const missing = nodes
    .filter((n) => !atCommon.some(([m]) => m === n))
    .map((node) => {
      const l = latest.get(node);
      return { node, reason: l ? `reported index ${l.report.index}` : (errors.get(node) ?? 'no state-hash op') };
    });
  const missingText = missing.map((m) => `${m.node} (${m.reason})`).join(', ');
  const order = (n: string) => (nodes.indexOf(n) === -1 ? Infinity : nodes.indexOf(n));
  // Histories count even where the final reports do not line up: nodes that applied the same index must have agreed there.
  const earlier = firstEarlierDivergence([...latest.values()].map((l) => l.report), order);
  if (atCommon.length < 2 || commonIndex === null) {
    if (earlier) {
      return {
        checker: 'divergence',
        valid: false,
        summary: `replicas diverged: ${describeEarlier(earlier)} (no common final index to compare: ${missingText || 'no reports'})`,
        details: { ...base, commonIndex, missing, earlier },
      };
    }
    return {
      checker: 'divergence',
      valid: 'unknown',
      summary: `fewer than two nodes reported their state at a common index: ${missingText || 'no reports'}`,
      details: { ...base, commonIndex, missing },
    };
  }

  // The majority hash is the reference; ties go to the group of the first node in order.
  const groups = groupByHash(atCommon.map(([node, l]) => [node, l.report.hash]), order);
  const [refHash, refMembers] = groups[0];
  const refNode = refMembers.find((n) => listedAt(latest.get(n)!.report, commonIndex)) ?? refMembers[0];
  const refReport = latest.get(refNode)!.report;
  const reference = { hash: refHash, node: refNode, members: refMembers };

  if (groups.length === 1) {
    const agreed = `${atCommon.length} nodes agree on state hash ${refHash} at index ${commonIndex}`;
    if (earlier) {
      return {
        checker: 'divergence',
        valid: false,
        summary:
          `replicas diverged earlier and were overwritten since: ${describeEarlier(earlier)} ` +
          `(the ${atCommon.length} nodes agree again at index ${commonIndex})`,
        details: { ...base, commonIndex, reference, missing, earlier },
      };
    }
    return missing.length === 0
      ? { checker: 'divergence', valid: true, summary: `all ${agreed}${outside(nonMembers)}`, details: { ...base, commonIndex, reference, missing } }
      : {
          checker: 'divergence',
          valid: 'unknown',
          summary: `${agreed}; could not compare ${missingText}`,
          details: { ...base, commonIndex, reference, missing },
        };
  }

  const divergent: DivergentMember[] = atCommon
    .filter(([, l]) => l.report.hash !== refHash)
    .map(([node, l]) => ({
      node,
      hash: l.report.hash,
      op: l.op,
      ...(listedAt(l.report, commonIndex) && listedAt(refReport, commonIndex)
        ? { firstDifferingKeys: firstDifferingKeys(refReport.keys, l.report.keys) }
        : {}),
    }));
  const lines = divergent.map((d) => {
    const keys = d.firstDifferingKeys?.length ? `, first differing keys: ${d.firstDifferingKeys.map((k) => describeKey(k, d.node, refNode)).join('; ')}` : '';
    return `${d.node} has hash ${d.hash}${keys}`;
  });
  const proofs = [...new Set(atCommon.flatMap(([, l]) => (l.report.proof ? [l.report.proof] : [])))];
  return {
    checker: 'divergence',
    valid: false,
    summary:
      `replicas diverged at index ${commonIndex}: ${refMembers.join(', ')} ${refMembers.length === 1 ? 'has' : 'agree on'} ${refHash}, but ${lines.join('; ')}` +
      (proofs.length ? `; ${proofs.join('; ')}` : '') +
      outside(nonMembers) +
      (missing.length ? ` (no report at that index from ${missingText})` : '') +
      (earlier && earlier.index < commonIndex ? `; first seen ${describeEarlier(earlier)}` : ''),
    details: { ...base, commonIndex, reference, divergent, missing, ...(earlier ? { earlier } : {}) },
  };
}
