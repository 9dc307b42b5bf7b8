// Figures both controller benches read back from a recorded history.
import type { History } from '../../history/op.ts';

export interface ThroughputStats {
  ops: number;
  opsPerSec: number;
  /** Gap from a worker's completion to its next invoke, µs. */
  overheadUs: { p50: number; p99: number; p999: number; max: number };
  /** Client-observed latency invoke -> completion, ms. */
  latencyMs: { p50: number; p99: number };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Client ops of the main phase only (`mainPhaseS` after the first client op):
 * the final phase (recovery wait, state hashes) is not load and would dilute ops/s.
 */
export function throughputStats(history: History, concurrency: number, mainPhaseS = Infinity): ThroughputStats {
  const first = history.find((o) => o.process !== 'nemesis');
  const end = (first?.time ?? 0) + mainPhaseS * 1e9;
  const clientOps = history.filter((o) => o.process !== 'nemesis' && o.time <= end);
  const completions = clientOps.filter((o) => o.type !== 'invoke').length;
  const spanNs = clientOps.at(-1)!.time - clientOps[0].time;
  const lastCompletion = new Map<number, number>();
  const openInvoke = new Map<number, number>();
  const gaps: number[] = [];
  const latencies: number[] = [];
  for (const op of clientOps) {
    const p = op.process as number;
    const w = p % concurrency;
    if (op.type === 'invoke') {
      const t = lastCompletion.get(w);
      if (t !== undefined) gaps.push(op.time - t);
      openInvoke.set(p, op.time);
    } else {
      lastCompletion.set(w, op.time);
      const t = openInvoke.get(p);
      if (t !== undefined) latencies.push(op.time - t);
    }
  }
  gaps.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  return {
    ops: completions,
    opsPerSec: Math.round(completions / (spanNs / 1e9)),
    overheadUs: { p50: percentile(gaps, 50) / 1e3, p99: percentile(gaps, 99) / 1e3, p999: percentile(gaps, 99.9) / 1e3, max: gaps.at(-1)! / 1e3 },
    latencyMs: { p50: percentile(latencies, 50) / 1e6, p99: percentile(latencies, 99) / 1e6 },
  };
}
