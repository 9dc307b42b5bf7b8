// Did a node's clock move as intended? The DB process reports its own wall
// clock (db.nodeReport; raftkv's /admin/status carries its Date.now()), read
// against ours halfway through the request. The request's round trip bounds
// the error exactly: the node read its clock somewhere between our two reads.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { FaultEffect, FaultEvidence, JsonValue } from '../history/index.ts';
import { combineEffects, eachNode, evidence, sleep } from './effect.ts';

/** The control file's 3 decimals, and the scheduling between libfaketime's read and the reply. */
const SLACK_MS = 25;
/** Strobe: how long to look for the flipped clock. */
const STROBE_BUDGET_MS = 1_500;
/** Skew: how far apart the two readings are; (rate - 1) x this is the drift to see (>= 100 ms for the schedule's rates). */
const SKEW_WINDOW_MS = 500;

export interface ClockReading {
  /** The node's clock minus ours, ms. */
  offsetMs: number;
  /** Half the round trip: the node read its clock within this of our midpoint. */
  uncertaintyMs: number;
}

/** 'intended': the reading shows the intended offset and not zero; 'unchanged': zero and not the intended one; else 'unclear'. */
export function classify(r: ClockReading, intendedMs: number): 'intended' | 'unchanged' | 'unclear' {
  const tol = r.uncertaintyMs + SLACK_MS;
  const nearIntended = Math.abs(r.offsetMs - intendedMs) <= tol;
  const nearZero = Math.abs(r.offsetMs) <= tol;
  if (nearIntended && !nearZero) return 'intended';
  if (nearZero && !nearIntended) return 'unchanged';
  return 'unclear';
}

export const canReadClock = (info: DockerClusterInfo): boolean => typeof info.db.nodeReport === 'function';

export async function readClock(info: DockerClusterInfo, node: string): Promise<ClockReading> {
  const t0 = Date.now();
  const report = await info.db.nodeReport!(info.cluster, node);
  const t1 = Date.now();
  if (typeof report.clockMs !== 'number') throw new Error(`${node}: ${info.db.name} reports no clock`);
  return { offsetMs: Math.round(report.clockMs - (t0 + t1) / 2), uncertaintyMs: Math.ceil((t1 - t0) / 2) };
}

type Verdict = { effect: FaultEffect; seen: Record<string, JsonValue> };
const verdictOf = (c: 'intended' | 'unchanged' | 'unclear'): FaultEffect => (c === 'intended' ? 'took-effect' : c === 'unchanged' ? 'no-effect' : 'unverified');

/** A bump: the offset reads as intended (up to 3 readings, while they are unclear). */
async function bumped(info: DockerClusterInfo, node: string, deltaMs: number): Promise<Verdict> {
  let r = await readClock(info, node);
  for (let i = 0; i < 2 && classify(r, deltaMs) === 'unclear'; i++) r = await readClock(info, node);
  return { effect: verdictOf(classify(r, deltaMs)), seen: { ...r } };
}

/** A strobe flips between 0 and delta: seen once at delta within the budget is enough. */
async function strobed(info: DockerClusterInfo, node: string, deltaMs: number, periodMs: number): Promise<Verdict> {
  const t0 = performance.now();
  const readings: ClockReading[] = [];
  while (performance.now() - t0 < STROBE_BUDGET_MS) {
    const r = await readClock(info, node);
    readings.push(r);
    if (classify(r, deltaMs) === 'intended') return { effect: 'took-effect', seen: { ...r, readings: readings.length } };
    await sleep(Math.max(10, periodMs / 3));
  }
  const effect = readings.every((r) => classify(r, deltaMs) === 'unchanged') ? 'no-effect' : 'unverified';
  return { effect, seen: { readings: readings.length, offsetsMs: readings.map((r) => r.offsetMs) } };
}

/** A skew: two readings apart, the clock gained (rate - 1) x the real time between them. */
async function skewed(info: DockerClusterInfo, node: string, rate: number): Promise<Verdict> {
  const a = await readClock(info, node);
  const ta = Date.now();
  await sleep(SKEW_WINDOW_MS);
  const b = await readClock(info, node);
  const expected = Math.round((rate - 1) * (Date.now() - ta));
  const drift = { offsetMs: b.offsetMs - a.offsetMs, uncertaintyMs: a.uncertaintyMs + b.uncertaintyMs };
  return { effect: verdictOf(classify(drift, expected)), seen: { offsetAtStartMs: a.offsetMs, driftMs: drift.offsetMs, expectedDriftMs: expected, uncertaintyMs: drift.uncertaintyMs } };
}

export type ClockIntent = { mode: 'bump'; deltaMs: number } | { mode: 'strobe'; deltaMs: number; periodMs: number } | { mode: 'skew'; rate: number } | { mode: 'reset' };

/** Read the clocks of `nodes` and judge them against the intent; every node must show it. */
export async function judgeClocks(info: DockerClusterInfo, nodes: readonly string[], intent: ClockIntent): Promise<{ effect: FaultEffect; evidence: FaultEvidence }> {
  if (!canReadClock(info)) return { effect: 'unverified', evidence: evidence(`${info.db.name} does not report its clock`) };
  const { results, errors } = await eachNode(nodes, (n): Promise<Verdict> => {
    switch (intent.mode) {
      case 'bump':
        return bumped(info, n, intent.deltaMs);
      case 'strobe':
        return strobed(info, n, intent.deltaMs, intent.periodMs);
      case 'skew':
        return skewed(info, n, intent.rate);
      case 'reset':
        return readClock(info, n).then((r) => ({ effect: Math.abs(r.offsetMs) <= r.uncertaintyMs + SLACK_MS ? 'took-effect' : 'no-effect', seen: { ...r } }));
    }
  });
  if (errors.length) return { effect: 'unverified', evidence: evidence(`could not read the clock: ${errors.join('; ')}`) };
  const effect = combineEffects([...results.values()].map((v) => v.effect));
  const summary = [...results]
    .map(([n, v]) => `${n}: ${'driftMs' in v.seen ? `drifted ${v.seen.driftMs} ms (expected ${v.seen.expectedDriftMs})` : 'offsetMs' in v.seen ? `off by ${v.seen.offsetMs} ± ${v.seen.uncertaintyMs} ms` : `never at the intended offset in ${v.seen.readings} readings`}`)
    .join('; ');
  return { effect, evidence: evidence(summary, { nodes: Object.fromEntries([...results].map(([n, v]) => [n, { effect: v.effect, ...v.seen }])) }) };
}
