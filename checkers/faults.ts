// Did the faults take effect? A run under faults that silently did nothing
// (an iptables rule in the wrong chain, a signal to a dead process) would
// otherwise pass for a run that survived them. Reads the nemesis ops'
// completions (history/op.ts FaultValue: effect and evidence, gathered by
// nemeses/ as each fault is applied and healed) and, per fault, what it did
// to the clients: ops that failed or timed out while it lasted, and the
// throughput before, during and after. Pure.
//
// The verdict is never false (a fault without effect says nothing about the
// database), but 'unknown' when
//   - some kind of fault was injected and never took effect (unless the user
//     allows it: --allow-ineffective-faults), or
//   - the final heal (stop-all) failed: the final reads ran on a cluster
//     still under faults, whatever the user allowed.
import type { FaultEffect, FaultValue, History, Op } from '../history/index.ts';
import type { CheckResult } from './result.ts';

export interface FaultsConfig {
  /** The fault kinds the run asked for (--nemesis): a kind never injected is named in a note. */
  requested?: string[];
  /** --allow-ineffective-faults: a kind that never took effect is a note, not an unknown verdict. */
  allowIneffective?: boolean;
}

/** What a fault did to the clients while it lasted (start invoked .. stop completed). */
export interface FaultImpact {
  /** Client ops that definitely failed (fail) in the window. */
  failed: number;
  /** Client ops whose outcome is unknown (info: the request timed out or the connection broke). */
  timedOut: number;
  /** ok client ops per second before (a window as long as the fault), during, and after; null: no such window. */
  throughput: { before: number | null; during: number; after: number | null };
}

export interface FaultRecord {
  kind: string;
  variant?: string;
  nodes: string[];
  description?: string;
  effect: FaultEffect;
  /** The evidence's one line (the full evidence stays in the history). */
  evidence: string;
  /** How its heal went (the stop op's effect), if it was healed on its own. */
  healEffect?: FaultEffect;
  /** History indexes of the invokes of the start op and of the op that healed it (-1: none), as reports/faults.ts pairs them. */
  startIndex: number;
  stopIndex: number;
  /** ns since the test began: start invoked, heal completed (or the history's end). */
  start: number;
  end: number;
  impact: FaultImpact;
}

export interface FaultKindTally {
  kind: string;
  /** Start ops that applied something (fail: nothing was applied, e.g. no leader to isolate). */
  injected: number;
  tookEffect: number;
  noEffect: number;
  unverified: number;
  /** Start ops that failed outright (nothing applied). */
  refused: number;
}

export interface FinalHeal {
  ok: boolean;
  effect?: FaultEffect;
  summary: string;
  /** Nodes the heal could not heal (from its evidence). */
  failedNodes: string[];
  index: number;
}

export interface FaultsDetails {
  kinds: FaultKindTally[];
  faults: FaultRecord[];
  counts: { tookEffect: number; noEffect: number; unverified: number };
  /** Kinds injected at least once that never took effect. */
  ineffective: string[];
  finalHeal?: FinalHeal;
  notes: string[];
}

const START = 'start-';
const STOP = 'stop-';

/** A fault op's effect: as its nemesis recorded it; an unknown (info) op without one did nothing anyone saw. */
export function effectOf(op: Op): FaultEffect {
  const v = faultValue(op);
  if (v?.effect) return v.effect;
  return op.type === 'info' ? 'no-effect' : 'unverified';
}

/**
 * A start's effect once its heal is known: loss and delay show only while
 * they last, so the counters read at the heal (the stop's faultEffect) may
 * prove what the start could not.
 */
export function effectAfterHeal(startEffect: FaultEffect, stop: Op): FaultEffect {
  return startEffect === 'unverified' && faultValue(stop)?.faultEffect === 'took-effect' ? 'took-effect' : startEffect;
}

function faultValue(op: Op): FaultValue | undefined {
  const v = op.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as FaultValue) : undefined;
}

/** Sorted times of client completions, by type, for window counts. */
class ClientTimes {
  readonly ok: number[] = [];
  readonly fail: number[] = [];
  readonly info: number[] = [];

  add(op: Op): void {
    if (op.type === 'ok' || op.type === 'fail' || op.type === 'info') this[op.type].push(op.time);
  }

  sort(): void {
    for (const a of [this.ok, this.fail, this.info]) a.sort((x, y) => x - y);
  }

  /** How many of `times` fall in [from, to]. */
  static count(times: readonly number[], from: number, to: number): number {
    return lowerBound(times, to + 1) - lowerBound(times, from);
  }
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function impactOf(times: ClientTimes, start: number, end: number, horizon: number): FaultImpact {
  const d = Math.max(end - start, 1);
  const rate = (from: number, to: number): number | null => {
    const a = Math.max(0, from);
    const b = Math.min(horizon, to);
    if (b - a < d / 2 || b <= a) return null; // too little of the window inside the run to compare
    return Math.round((ClientTimes.count(times.ok, a, b) / ((b - a) / 1e9)) * 10) / 10;
  };
  return {
    failed: ClientTimes.count(times.fail, start, end),
    timedOut: ClientTimes.count(times.info, start, end),
    throughput: { before: rate(start - d, start - 1), during: rate(start, end) ?? 0, after: rate(end + 1, end + d) },
  };
}

export function checkFaults(history: History, config: FaultsConfig = {}): CheckResult {
  const times = new ClientTimes();
  const invokes = new Map<string | number, Op>();
  const faults: FaultRecord[] = [];
  const open = new Map<string, FaultRecord[]>();
  const tallies = new Map<string, FaultKindTally>();
  const tally = (kind: string): FaultKindTally => {
    let t = tallies.get(kind);
    if (!t) tallies.set(kind, (t = { kind, injected: 0, tookEffect: 0, noEffect: 0, unverified: 0, refused: 0 }));
    return t;
  };
  let finalHeal: FinalHeal | undefined;
  let lastTime = 0;

  for (const op of history) {
    if (op.time > lastTime) lastTime = op.time;
    if (op.process !== 'nemesis') {
      if (op.type !== 'invoke') times.add(op);
      continue;
    }
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      continue;
    }
    const invoke = invokes.get(op.process);
    invokes.delete(op.process);
    const v = faultValue(op);
    if (op.f.startsWith(START)) {
      const kind = op.f.slice(START.length);
      if (op.type === 'fail') {
        tally(kind).refused++;
        continue;
      }
      const record: FaultRecord = {
        kind,
        ...(typeof v?.variant === 'string' ? { variant: v.variant } : {}),
        nodes: Array.isArray(v?.nodes) ? v.nodes.map(String) : [],
        ...(typeof v?.description === 'string' ? { description: v.description } : {}),
        effect: effectOf(op),
        evidence: v?.evidence?.summary ?? op.error ?? (v?.effect ? '' : 'no evidence recorded'),
        startIndex: invoke?.index ?? op.index,
        stopIndex: -1,
        start: invoke?.time ?? op.time,
        end: Number.NaN,
        impact: { failed: 0, timedOut: 0, throughput: { before: null, during: 0, after: null } },
      };
      faults.push(record);
      open.set(kind, [...(open.get(kind) ?? []), record]);
    } else if (op.f === 'stop-all') {
      for (const records of open.values()) for (const r of records.splice(0)) close(r, op, invoke);
      finalHeal = {
        ok: op.type === 'ok' && v?.effect !== 'no-effect',
        ...(v?.effect ? { effect: v.effect } : {}),
        summary: v?.evidence?.summary ?? op.error ?? (op.type === 'ok' ? 'healed' : 'no answer'),
        failedNodes: failedNodesOf(v),
        index: op.index,
      };
    } else if (op.f.startsWith(STOP)) {
      const r = open.get(op.f.slice(STOP.length))?.shift();
      if (!r) continue;
      close(r, op, invoke);
      r.healEffect = effectOf(op);
      const after = effectAfterHeal(r.effect, op);
      if (after !== r.effect) {
        r.effect = after;
        r.evidence = `${r.evidence}; shown at the heal: ${v?.evidence?.summary ?? ''}`;
      }
    }
  }
  for (const r of faults) if (Number.isNaN(r.end)) r.end = lastTime;

  times.sort();
  for (const r of faults) {
    r.impact = impactOf(times, r.start, r.end, lastTime);
    const t = tally(r.kind);
    t.injected++;
    if (r.effect === 'took-effect') t.tookEffect++;
    else if (r.effect === 'no-effect') t.noEffect++;
    else t.unverified++;
  }
  for (const kind of config.requested ?? []) tally(kind);

  const kinds = [...tallies.values()];
  const ineffective = kinds.filter((k) => k.injected > 0 && k.tookEffect === 0).map((k) => k.kind);
  const notes: string[] = [];
  const notInjected = kinds.filter((k) => k.injected === 0).map((k) => k.kind);
  if (notInjected.length) notes.push(`asked for but never injected: ${notInjected.join(', ')} (the run ended first, or every attempt was refused)`);
  const partly = kinds.filter((k) => k.tookEffect > 0 && k.tookEffect < k.injected);
  if (partly.length) notes.push(`some injections without effect: ${partly.map(ratio).join(', ')}`);

  const count = (e: FaultEffect) => faults.filter((f) => f.effect === e).length;
  const details: FaultsDetails = {
    kinds,
    faults,
    counts: { tookEffect: count('took-effect'), noEffect: count('no-effect'), unverified: count('unverified') },
    ineffective,
    ...(finalHeal ? { finalHeal } : {}),
    notes,
  };

  const problems: string[] = [];
  if (finalHeal && !finalHeal.ok) {
    problems.push(`the final heal failed${finalHeal.failedNodes.length ? ` on ${finalHeal.failedNodes.join(' ')}` : ''}: ${finalHeal.summary}`);
  }
  if (ineffective.length && !config.allowIneffective) {
    problems.push(`faults had no effect (${ineffective.map((k) => `${ratio(tallies.get(k)!)} took effect`).join(', ')})`);
  }
  if (problems.length) return { checker: 'faults', valid: 'unknown', summary: problems.join('; '), details };

  const injectedKinds = kinds.filter((k) => k.injected > 0);
  const head = ineffective.length ? `some fault kinds never took effect (${ineffective.join(', ')}), allowed by --allow-ineffective-faults` : 'every fault kind took effect';
  const summary = injectedKinds.length === 0 ? 'no fault was injected' : `${head}: ${injectedKinds.map(ratio).join(', ')}`;
  return { checker: 'faults', valid: true, summary: [summary, ...notes].join('; '), details };

  function close(r: FaultRecord, stop: Op, invoke: Op | undefined): void {
    r.end = stop.time;
    r.stopIndex = invoke?.index ?? stop.index;
  }
}

const ratio = (k: FaultKindTally): string => `${k.kind} ${k.tookEffect}/${k.injected}`;

function failedNodesOf(v: FaultValue | undefined): string[] {
  const nodes = v?.evidence?.failedNodes;
  return Array.isArray(nodes) ? nodes.map(String) : [];
}
