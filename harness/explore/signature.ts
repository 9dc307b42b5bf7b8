// What a run reached, as a set of features explore can compare: each Raft
// event the run's coverage counted (in power-of-two buckets, as AFL counts
// branch hits, so "one truncation" and "many truncations" differ but 5 and
// 6 do not), and each fault kind and variant that took effect. A schedule is
// kept when its run reached a feature no earlier run had.
import type { CheckResult, FaultsDetails } from '../../checkers/index.ts';

/** The part of a run's coverage explore reads: event name -> times reached. */
export interface EventCounts {
  events: Partial<Record<string, number>>;
}

/** 1 -> 0, 2-3 -> 1, 4-7 -> 2, 8-15 -> 3, 16+ -> 4. */
export function bucket(count: number): number {
  return Math.min(4, Math.floor(Math.log2(count)));
}

export function runFeatures(coverage: EventCounts | undefined, checkers: readonly CheckResult[]): Set<string> {
  const out = new Set<string>();
  for (const [event, count] of Object.entries(coverage?.events ?? {})) {
    if (count && count > 0) out.add(`event ${event} x${2 ** bucket(count)}+`);
  }
  const faults = checkers.find((c) => c.checker === 'faults')?.details as FaultsDetails | undefined;
  for (const f of faults?.faults ?? []) {
    if (f.effect === 'took-effect') out.add(`fault ${f.kind}${f.variant ? `-${f.variant}` : ''} took effect`);
  }
  return out;
}

/** The features of `reached` that `seen` lacks. */
export function newFeatures(reached: ReadonlySet<string>, seen: ReadonlySet<string>): string[] {
  return [...reached].filter((f) => !seen.has(f)).sort();
}
