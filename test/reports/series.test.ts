import { describe, expect, it } from 'vitest';
import { keyOf, pairOperations, type Operation } from '../../reports/operations.ts';
import { bucketWidthMs, downsampleLatency, latencyQuantiles, quantile, throughput } from '../../reports/series.ts';
import type { Op } from '../../history/op.ts';

const MS = 1e6;

/** A client op invoked at startMs lasting latencyMs. */
function op(id: number, startMs: number, latencyMs: number, type: Operation['type'] = 'ok', process: Operation['process'] = 0): Operation {
  return { id, process, f: 'read', type, start: startMs * MS, end: (startMs + latencyMs) * MS, invokeIndex: 2 * id, completeIndex: 2 * id + 1 };
}

describe('bucketWidthMs', () => {
  it('picks 1-2-5 steps giving at most the target number of buckets', () => {
    expect(bucketWidthMs(60_000, 200)).toBe(500);
    expect(bucketWidthMs(1_000, 200)).toBe(5);
    expect(bucketWidthMs(3_600_000, 200)).toBe(20_000);
    expect(60_000 / bucketWidthMs(60_000, 200)).toBeLessThanOrEqual(200);
  });
});

describe('quantile', () => {
  it('is nearest-rank over a sorted array', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(xs, 0.5)).toBe(50);
    expect(quantile(xs, 0.95)).toBe(95);
    expect(quantile(xs, 0.99)).toBe(99);
    expect(quantile(xs, 1)).toBe(100);
    expect(quantile([7], 0.5)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('latencyQuantiles', () => {
  it('buckets by invoke time and leaves info ops and the nemesis out', () => {
    const ops = [
      ...Array.from({ length: 100 }, (_, i) => op(i, 10, i + 1)), // bucket 0: latencies 1..100
      op(100, 150, 5), // bucket 1
      op(101, 160, 10_000, 'info'), // a timeout: not a latency
      op(102, 170, 9_000, 'ok', 'nemesis'),
    ];
    const q = latencyQuantiles(ops, 300, 100);
    expect(q.t).toEqual([0, 100, 200]);
    expect(q.count).toEqual([100, 1, 0]);
    expect([q.p50[0], q.p95[0], q.p99[0], q.max[0]]).toEqual([50, 95, 99, 100]);
    expect(q.max[1]).toBe(5);
    expect(q.p50[2]).toBeNull();
  });
});

describe('throughput', () => {
  it('counts completions per outcome per second, by completion time', () => {
    const ops = [op(0, 0, 50), op(1, 10, 50), op(2, 20, 200, 'fail'), op(3, 30, 5, 'info'), op(4, 0, 10, 'ok', 'nemesis')];
    const tp = throughput(ops, 400, 100);
    expect(tp.t).toEqual([0, 100, 200, 300]);
    expect(tp.ok).toEqual([20, 0, 0, 0]); // two ok in a 100 ms bucket = 20/s
    expect(tp.fail).toEqual([0, 0, 10, 0]);
    expect(tp.info).toEqual([10, 0, 0, 0]);
  });
});

describe('downsampleLatency', () => {
  it('keeps every op when there are few', () => {
    const ops = [op(0, 0, 1), op(1, 5, 2, 'fail')];
    const points = downsampleLatency(ops, 10);
    expect(points).toMatchObject({ id: [0, 1], t: [0, 5], latency: [1, 2], type: [0, 1], count: [1, 1], total: 2, downsampled: false });
  });

  it('keeps one op per grid cell and outcome, the slowest, and every outlier survives', () => {
    const ops: Operation[] = [];
    for (let i = 0; i < 50_000; i++) ops.push(op(i, (i / 50_000) * 10_000, 1 + (i % 7) * 0.01));
    ops.push(op(50_000, 5_000, 900)); // one slow outlier
    ops.push(op(50_001, 7_000, 1, 'fail')); // one failure among thousands of oks
    const points = downsampleLatency(ops, 10_000, { maxPoints: 1000, columns: 100, rows: 50 });
    expect(points.downsampled).toBe(true);
    expect(points.total).toBe(50_002);
    expect(points.id.length).toBeLessThan(100 * 50 * 3);
    expect(points.id).toContain(50_000);
    expect(points.id).toContain(50_001);
    // Every op is accounted for by exactly one kept point.
    expect(points.count.reduce((a, b) => a + b, 0)).toBe(50_002);
    expect(points.count[points.id.indexOf(50_001)]).toBe(1);
    // One point per (column, row, outcome) cell: no two kept ok ops share a cell.
    const cells = new Set(points.id.map((_, i) => `${Math.floor(points.t[i] / 100)}:${points.latency[i].toFixed(1)}:${points.type[i]}`));
    expect(cells.size).toBeGreaterThan(90);
    // Sorted by time for the page.
    expect([...points.t].sort((a, b) => a - b)).toEqual(points.t);
  });
});

describe('keyOf', () => {
  it('reads independent tuples and {key} objects, not txns', () => {
    expect(keyOf(['x', 1])).toBe('x');
    expect(keyOf([3, [1, 2]])).toBe('3');
    expect(keyOf({ key: 'k', value: 1 })).toBe('k');
    expect(keyOf([['r', 'x', null], ['w', 'y', 1]])).toBeUndefined();
    expect(keyOf(5)).toBeUndefined();
  });
});

describe('pairOperations', () => {
  it('pairs each invoke with its process completion; open invokes become info at the end', () => {
    const h: Op[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'write', value: { key: 'a', value: 1 } },
      { index: 1, time: 1, process: 1, type: 'invoke', f: 'read', value: { key: 'b', value: null } },
      { index: 2, time: 5, process: 0, type: 'ok', f: 'write', value: { key: 'a', value: 1 } },
      { index: 3, time: 6, process: 2, type: 'ok', f: 'read', value: null }, // orphan
      { index: 4, time: 9, process: 3, type: 'invoke', f: 'read', value: null },
    ];
    const { operations, orphanCompletions, endTime } = pairOperations(h);
    expect(orphanCompletions).toBe(1);
    expect(endTime).toBe(9);
    expect(operations.map((o) => [o.id, o.process, o.type, o.start, o.end, o.key])).toEqual([
      [0, 0, 'ok', 0, 5, 'a'],
      [1, 1, 'info', 1, 9, 'b'],
      [2, 3, 'info', 9, 9, undefined],
    ]);
  });
});
