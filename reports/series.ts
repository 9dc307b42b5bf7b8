// The plot data a report embeds: throughput and latency quantiles per time
// bucket, and a latency scatter downsampled so a million ops stay drawable.
// Times here are milliseconds since test start (the page's unit).
import type { Operation, Outcome } from './operations.ts';

export const OUTCOMES: readonly Outcome[] = ['ok', 'fail', 'info'];
const NS_PER_MS = 1e6;

/** A "nice" bucket width (1-2-5 steps, ms) giving at most `target` buckets over `durationMs`. */
export function bucketWidthMs(durationMs: number, target = 200): number {
  const raw = Math.max(durationMs, 1) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= raw) return step * magnitude;
  return 10 * magnitude;
}

export interface Throughput {
  bucketMs: number;
  /** Bucket start times (ms). */
  t: number[];
  /** Completions per second in each bucket, per outcome (by completion time, as Jepsen's rate graph). */
  ok: number[];
  fail: number[];
  info: number[];
}

/** Client ops only: nemesis ops are faults, not load. */
export function throughput(operations: readonly Operation[], durationMs: number, bucketMs = bucketWidthMs(durationMs)): Throughput {
  const n = Math.max(1, Math.ceil(durationMs / bucketMs));
  const counts = { ok: new Array<number>(n).fill(0), fail: new Array<number>(n).fill(0), info: new Array<number>(n).fill(0) };
  for (const op of operations) {
    if (op.process === 'nemesis') continue;
    counts[op.type][bucketOf(op.end / NS_PER_MS, bucketMs, n)]++;
  }
  const perSecond = (xs: number[]) => xs.map((c) => round3((c * 1000) / bucketMs));
  return {
    bucketMs,
    t: range(n).map((i) => i * bucketMs),
    ok: perSecond(counts.ok),
    fail: perSecond(counts.fail),
    info: perSecond(counts.info),
  };
}

export interface LatencyQuantiles {
  bucketMs: number;
  t: number[];
  /** Latency in ms per bucket (null: no op in that bucket). */
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  max: (number | null)[];
  count: number[];
}

/**
 * Latency quantiles of the ops invoked in each bucket. Counts ok and fail ops;
 * info ops are left out because their "latency" is a timeout or the end of the
 * history, not a measured response time.
 */
export function latencyQuantiles(operations: readonly Operation[], durationMs: number, bucketMs = bucketWidthMs(durationMs)): LatencyQuantiles {
  const n = Math.max(1, Math.ceil(durationMs / bucketMs));
  const buckets: number[][] = range(n).map(() => []);
  for (const op of operations) {
    if (op.process === 'nemesis' || op.type === 'info') continue;
    buckets[bucketOf(op.start / NS_PER_MS, bucketMs, n)].push((op.end - op.start) / NS_PER_MS);
  }
  const result: LatencyQuantiles = { bucketMs, t: [], p50: [], p95: [], p99: [], max: [], count: [] };
  buckets.forEach((latencies, i) => {
    latencies.sort((a, b) => a - b);
    result.t.push(i * bucketMs);
    result.p50.push(quantile(latencies, 0.5));
    result.p95.push(quantile(latencies, 0.95));
    result.p99.push(quantile(latencies, 0.99));
    result.max.push(quantile(latencies, 1));
    result.count.push(latencies.length);
  });
  return result;
}

/** Nearest-rank quantile of an ascending array; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return round3(sorted[rank - 1]);
}

export interface ScatterPoints {
  /** Operation ids, invoke time (ms), latency (ms), outcome index into OUTCOMES. */
  id: number[];
  t: number[];
  latency: number[];
  type: number[];
  /** How many ops of that outcome the point stands for (its grid cell); 1 when not downsampled. */
  count: number[];
  /** How many client ops there were in all (the page says "showing N of M"). */
  total: number;
  downsampled: boolean;
}

export interface DownsampleOptions {
  /** Keep every op when there are at most this many. */
  maxPoints?: number;
  /** Grid resolution: time columns and log-latency rows. */
  columns?: number;
  rows?: number;
}

/**
 * Keeps every op if there are few; otherwise one op per occupied cell of a
 * (time column x log-latency row x outcome) grid, the slowest one in the cell.
 * At plot resolution the picture is the same: every outlier and every failed
 * op's region survives, only overplotted points go.
 */
export function downsampleLatency(operations: readonly Operation[], durationMs: number, options: DownsampleOptions = {}): ScatterPoints {
  const { maxPoints = 20_000, columns = 400, rows = 50 } = options;
  const client = operations.filter((op) => op.process !== 'nemesis');
  const points: ScatterPoints = { id: [], t: [], latency: [], type: [], count: [], total: client.length, downsampled: client.length > maxPoints };
  const push = (op: Operation, count = 1) => {
    points.id.push(op.id);
    points.count.push(count);
    points.t.push(round3(op.start / NS_PER_MS));
    points.latency.push(round3((op.end - op.start) / NS_PER_MS));
    points.type.push(OUTCOMES.indexOf(op.type));
  };
  if (!points.downsampled) {
    for (const op of client) push(op);
    return points;
  }
  let minLatency = Infinity;
  let maxLatency = 0;
  for (const op of client) {
    const latency = Math.max(op.end - op.start, 1); // 1 ns floor keeps log() finite
    if (latency < minLatency) minLatency = latency;
    if (latency > maxLatency) maxLatency = latency;
  }
  const logMin = Math.log(minLatency);
  const logSpan = Math.max(Math.log(maxLatency) - logMin, 1e-9);
  const width = Math.max(durationMs, 1) / columns;
  const cells = new Map<number, { op: Operation; count: number }>();
  for (const op of client) {
    const latency = Math.max(op.end - op.start, 1);
    const column = Math.min(columns - 1, Math.floor(op.start / NS_PER_MS / width));
    const row = Math.min(rows - 1, Math.floor(((Math.log(latency) - logMin) / logSpan) * rows));
    const cell = (column * rows + row) * OUTCOMES.length + OUTCOMES.indexOf(op.type);
    const kept = cells.get(cell);
    if (!kept) cells.set(cell, { op, count: 1 });
    else {
      kept.count++;
      if (op.end - op.start > kept.op.end - kept.op.start) kept.op = op;
    }
  }
  for (const { op, count } of [...cells.values()].sort((a, b) => a.op.start - b.op.start)) push(op, count);
  return points;
}

function bucketOf(timeMs: number, bucketMs: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(timeMs / bucketMs)));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Microsecond precision is plenty for ms values and keeps the embedded JSON small. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
