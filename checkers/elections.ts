// Leadership churn: an availability check, not a safety one. A Raft cluster
// needs an election when a leader is lost (killed, paused, cut off), not
// every election timeout of a node that cannot hear the leader: pre-vote and
// check-quorum exist so that such a node cannot depose a leader the rest of
// the cluster still hears (Cloudflare's 2020 etcd outage was that churn).
//
// Every term is one election (a won or a failed campaign: a pre-vote that
// fails bumps nothing). The final state observations (workloads/divergence)
// carry each node's term; a fresh cluster starts at term 0 and elects its
// first leader, so the elections held after that are `max term - 1`.
//   valid   - elections ≤ baseline + perFault × faults injected
//   invalid - more: leadership flapped beyond what the faults explain
//   unknown - no node reported its term
import type { History } from '../history/index.ts';
import { isStateObservation, type StateReport } from './divergence.ts';
import type { CheckResult } from './result.ts';

export interface ElectionsConfig {
  /** Elections a fault may cost: losing the leader, then maybe a split vote. Default 2. */
  perFault?: number;
  /** Elections any run may hold besides those: the first one's split votes, a slow start. Default 2. */
  baseline?: number;
}

export interface ElectionsDetails {
  /** Highest term any node reported, by node. */
  terms: Record<string, number>;
  maxTerm: number;
  /** Elections after the first: maxTerm - 1. */
  elections: number;
  /** Faults started: nemesis start-* ops that completed ok, or info (partly applied, so they may have cost elections), unless their evidence says no effect. */
  faults: number;
  allowance: number;
}

const isStart = (f: string): boolean => f.startsWith('start-');
/** A scripted scenario (nemeses/figure8.ts, nemeses/raft-*.ts) says how many faults it is made of; any other fault is one. */
const faultSteps = (value: unknown): number => {
  const steps = (value as { steps?: unknown } | null)?.steps;
  return typeof steps === 'number' && steps >= 1 ? steps : 1;
};

/** A fault whose own evidence shows it changed nothing cannot explain an election. */
const hadNoEffect = (value: unknown): boolean => (value as { effect?: unknown } | null)?.effect === 'no-effect';

/** A clock strobe's flip period, ms, from its start op's invoke value; undefined for every other fault. */
const strobePeriodMs = (f: string, value: unknown): number | undefined => {
  const v = value as { variant?: unknown; periodMs?: unknown } | null;
  return f === 'start-clock' && v?.variant === 'strobe' && typeof v.periodMs === 'number' && v.periodMs > 0 ? v.periodMs : undefined;
};

/**
 * A clock fault acts on each of its nodes alone: a jump expires every one of
 * their timers at once (three nodes campaigning together split their votes),
 * so it counts once per node it reached.
 */
const clockNodes = (value: unknown): number => {
  const nodes = (value as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) && nodes.length > 0 ? nodes.length : 1;
};

/**
 * Forward clock jumps of a strobe that ran from `fromNs` to `toNs`. Each one
 * is a fault of its own here: a node whose clock leaps ahead by more than an
 * election timeout finds its timers expired (a leader's quorum check, a
 * follower's election timer), so every jump may legitimately cost an election.
 */
const strobeJumps = (periodMs: number, fromNs: number, toNs: number): number => Math.max(1, Math.ceil((toNs - fromNs) / 1e6 / (2 * periodMs)));

export function checkElections(history: History, config: ElectionsConfig = {}): CheckResult {
  const perFault = config.perFault ?? 2;
  const baseline = config.baseline ?? 2;
  const terms: Record<string, number> = {};
  let faults = 0;
  let strobe: { periodMs: number; fromNs: number; nodes: number } | undefined;
  let strobeAsked: number | undefined; // the period a start-clock invoke asked for, until its completion
  const strobeEnds = (atNs: number) => {
    if (strobe) faults += strobe.nodes * (strobeJumps(strobe.periodMs, strobe.fromNs, atNs) - 1); // its start counted the first jump
    strobe = undefined;
  };
  for (const op of history) {
    if (op.process === 'nemesis') {
      if (op.type === 'invoke' && op.f === 'start-clock') strobeAsked = strobePeriodMs(op.f, op.value);
      if ((op.type === 'ok' || op.type === 'info') && isStart(op.f) && !hadNoEffect(op.value)) {
        const nodes = op.f === 'start-clock' ? clockNodes(op.value) : 1;
        faults += nodes * faultSteps(op.value);
        if (op.f === 'start-clock' && strobeAsked !== undefined) strobe = { periodMs: strobeAsked, fromNs: op.time, nodes };
      }
      if (op.type === 'invoke' && (op.f === 'stop-clock' || op.f === 'stop-all')) strobeEnds(op.time);
      continue;
    }
    if (op.type !== 'ok' || !isStateObservation(op)) continue;
    const term = (op.value as Partial<StateReport> | null)?.term;
    if (typeof term === 'number' && op.node !== undefined) terms[op.node] = Math.max(terms[op.node] ?? 0, term);
  }
  strobeEnds(history.at(-1)?.time ?? 0);
  const reported = Object.values(terms);
  if (reported.length === 0) {
    return { checker: 'elections', valid: 'unknown', summary: 'no node reported its term: leadership churn not measured' };
  }
  const maxTerm = Math.max(...reported);
  const elections = Math.max(0, maxTerm - 1);
  const allowance = baseline + perFault * faults;
  const details: ElectionsDetails = { terms, maxTerm, elections, faults, allowance };
  const counted = `term ${maxTerm} at the end: ${elections} election${elections === 1 ? '' : 's'} after the first, ${faults} fault${faults === 1 ? '' : 's'} injected`;
  if (elections <= allowance) {
    return { checker: 'elections', valid: true, summary: `${counted} (allowed ${baseline} + ${perFault} a fault = ${allowance})`, details };
  }
  return {
    checker: 'elections',
    valid: false,
    summary:
      `leadership churned: ${counted}, more than the ${allowance} the faults explain (${baseline} + ${perFault} a fault); ` +
      'nodes forced elections a healthy majority did not need (a node that cannot hear the leader keeps raising the term: no pre-vote or check-quorum?)',
    details,
  };
}
