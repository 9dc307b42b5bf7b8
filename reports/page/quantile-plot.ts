// Latency quantiles (p50, p95, p99, max) per time bucket, log scale.
import type { LatencyQuantiles } from '../series.ts';
import { drawLine } from './draw-line.ts';
import { formatDuration } from './format.ts';
import { model } from './model.ts';
import type { TimeScale } from './time-scale.ts';
import { timePlot, type Plot } from './time-plot.ts';

type Quantile = 'p50' | 'p95' | 'p99' | 'max';

export function quantilePlot(): Plot {
  const q: LatencyQuantiles = model.latency;
  const mids = q.t.map((t) => t + q.bucketMs / 2);
  const values = ([] as (number | null)[]).concat(q.p50, q.max).filter((v): v is number => v !== null && v > 0);
  const lo = values.length ? Math.min(...values) : 0.1;
  const hi = values.length ? Math.max(...values) : 1;
  const series: Array<[Quantile, string]> = [['p50', '#2f6db5'], ['p95', '#7a52b3'], ['p99', '#c2588f'], ['max', '#999']];
  let sx: TimeScale | null = null;
  return timePlot({
    id: 'quantiles',
    title: 'Latency quantiles per ' + formatDuration(q.bucketMs) + ' bucket (ok and fail ops)',
    height: 190,
    yLog: true,
    yLabel: 'latency',
    legend: series,
    yExtent: () => [lo * 0.8, hi * 1.2],
    draw(ctx, scaleX, sy) {
      sx = scaleX;
      for (const [name, color] of series) drawLine(ctx, scaleX, sy, mids, q[name], color, name === 'max' ? 1 : 1.5);
    },
    hit(x) {
      if (!sx) return null;
      const i = Math.floor(sx.invert(x) / q.bucketMs);
      if (i < 0 || i >= q.t.length || !q.count[i]) return null;
      return {
        id: -1,
        text: formatDuration(q.t[i]) + ': ' + q.count[i] + ' ops, p50 ' + formatDuration(q.p50[i]) + ', p95 ' + formatDuration(q.p95[i]) +
          ', p99 ' + formatDuration(q.p99[i]) + ', max ' + formatDuration(q.max[i]),
      };
    },
  });
}
