// When did a run first go wrong? The moment an anomaly became certain, read
// from each checker's evidence: for linearizability the completion after
// which no order of a refuted key's ops exists (its blocking op's return, or
// the last return among the ops stuck when none blocks; for a mutex, when two
// holders overlap), for divergence the state report that differed, for the
// set checker the read that missed an element. Not the invoke time of a
// blamed op: a lock taken at 0 s and found overlapping at 20 s went wrong at
// 20 s. Checkers whose evidence names no op count from the end of the history.
import type { CheckResult } from '../../checkers/index.ts';
import { pairOps, PairingError, type History } from '../../history/index.ts';

/** History indexes an invalid result points at (empty when it names none). */
export function blamedOps(result: CheckResult): number[] {
  if (result.valid !== false) return [];
  const d = result.details as Record<string, unknown> | undefined;
  if (!d) return [];
  const nums = (xs: unknown[]): number[] => xs.filter((x): x is number => typeof x === 'number');
  switch (result.checker) {
    case 'linearizability': {
      const parts = (d.partitions ?? []) as Array<{ counterexample?: { blockingOp: number | null; stuck: Array<{ op: number }> } }>;
      return nums(parts.flatMap((p) => (p.counterexample ? [p.counterexample.blockingOp, ...p.counterexample.stuck.map((s) => s.op)] : [])));
    }
    case 'divergence':
      return nums(((d.divergent ?? []) as Array<{ op: number }>).map((m) => m.op));
    case 'set':
      return nums([
        ...((d.lostExamples ?? []) as Array<{ missingFrom: number }>).map((l) => l.missingFrom),
        ...((d.unexpectedExamples ?? []) as Array<{ readIndex: number }>).map((u) => u.readIndex),
      ]);
    default:
      return [];
  }
}

/**
 * For each anomaly an invalid result proves, the ops whose returns together
 * make it certain (the anomaly's moment is the latest of those returns).
 */
export function anomalyEvidence(result: CheckResult): number[][] {
  if (result.valid !== false) return [];
  const d = result.details as Record<string, unknown> | undefined;
  if (!d) return [];
  if (result.checker === 'linearizability') {
    const parts = (d.partitions ?? []) as Array<{ counterexample?: { blockingOp: number | null; stuck: Array<{ op: number }> } }>;
    return parts.flatMap((p) => {
      const cx = p.counterexample;
      if (!cx) return [];
      return [cx.blockingOp !== null ? [cx.blockingOp] : cx.stuck.map((s) => s.op)];
    });
  }
  return blamedOps(result).map((op) => [op]);
}

export interface FirstAnomaly {
  /** Seconds since the run's first op. */
  seconds: number;
  /** The checker that blamed it. */
  checker: string;
  /** False when no checker named an op and the end of the history stands in. */
  fromEvidence: boolean;
}

/** The earliest moment an invalid result's anomaly became certain, or the history's end; undefined when nothing is invalid. */
export function firstAnomaly(results: readonly CheckResult[], history: History): FirstAnomaly | undefined {
  const invalid = results.filter((r) => r.valid === false);
  if (invalid.length === 0) return undefined;
  const start = history[0]?.time ?? 0;
  const end = history.at(-1)?.time ?? start;
  const returned = returnTimes(history);
  let best: FirstAnomaly | undefined;
  for (const r of invalid) {
    for (const ops of anomalyEvidence(r)) {
      const times = ops.map((i) => returned.get(i));
      if (times.length === 0 || times.some((t) => t === undefined)) continue;
      const seconds = (Math.max(...(times as number[])) - start) / 1e9;
      if (!best || seconds < best.seconds) best = { seconds, checker: r.checker, fromEvidence: true };
    }
  }
  return best ?? { seconds: (end - start) / 1e9, checker: invalid[0].checker, fromEvidence: false };
}

/** When each op returned, by history index (an invoke maps to its completion; one that never completed, to the history's end). */
function returnTimes(history: History): Map<number, number> {
  const end = history.at(-1)?.time ?? 0;
  const times = new Map(history.map((op) => [op.index, op.time]));
  try {
    for (const { invoke, completion } of pairOps(history)) times.set(invoke.index, completion?.time ?? end);
  } catch (e) {
    // A history that does not pair (not ours) keeps each op's own time.
    if (!(e instanceof PairingError)) throw e;
  }
  return times;
}
