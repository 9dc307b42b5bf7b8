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

export function checkElections(history: History, config: ElectionsConfig = {}): CheckResult {
  const perFault = config.perFault ?? 2;
  const baseline = config.baseline ?? 2;
  const terms: Record<string, number> = {};
  let faults = 0;
  for (const op of history) {
    if (op.process === 'nemesis') {
      if ((op.type === 'ok' || op.type === 'info') && isStart(op.f) && !hadNoEffect(op.value)) faults += faultSteps(op.value);
      continue;
    }
    if (op.type !== 'ok' || !isStateObservation(op)) continue;
    const term = (op.value as Partial<StateReport> | null)?.term;
    if (typeof term === 'number' && op.node !== undefined) terms[op.node] = Math.max(terms[op.node] ?? 0, term);
  }
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
