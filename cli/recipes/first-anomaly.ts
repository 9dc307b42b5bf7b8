// When did a run first go wrong? The time of the earliest op an invalid
// checker blames, read from each checker's evidence: linearizability's
// stuck/blocking ops, divergence's divergent members' state-hash ops, the
// set checker's reads that missed an element. Checkers whose evidence names
// no op count from the end of the history.
import type { CheckResult } from '../../checkers/index.ts';
import type { History } from '../../history/index.ts';

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

export interface FirstAnomaly {
  /** Seconds since the run's first op. */
  seconds: number;
  /** The checker that blamed it. */
  checker: string;
  /** False when no checker named an op and the end of the history stands in. */
  fromEvidence: boolean;
}

/** The earliest blamed op across invalid results, or the history's end; undefined when nothing is invalid. */
export function firstAnomaly(results: readonly CheckResult[], history: History): FirstAnomaly | undefined {
  const invalid = results.filter((r) => r.valid === false);
  if (invalid.length === 0) return undefined;
  const start = history[0]?.time ?? 0;
  const byIndex = new Map(history.map((op) => [op.index, op.time]));
  let best: FirstAnomaly | undefined;
  for (const r of invalid) {
    for (const i of blamedOps(r)) {
      const t = byIndex.get(i);
      if (t === undefined) continue;
      const seconds = (t - start) / 1e9;
      if (!best || seconds < best.seconds) best = { seconds, checker: r.checker, fromEvidence: true };
    }
  }
  return best ?? { seconds: ((history.at(-1)?.time ?? start) - start) / 1e9, checker: invalid[0].checker, fromEvidence: false };
}
