// Completions per second over time, one line per outcome.
import { OUTCOME_COLORS, OUTCOME_NAMES } from './colors.ts';
import { drawLine } from './draw-line.ts';
import { formatDuration } from './format.ts';
import { model } from './model.ts';
import type { TimeScale } from './time-scale.ts';
import { timePlot, type Plot } from './time-plot.ts';

export function throughputPlot(): Plot {
  const tp = model.throughput;
  const max = Math.max(1, ...tp.ok, ...tp.fail, ...tp.info);
  const mid = (i: number) => tp.t[i] + tp.bucketMs / 2;
  const mids = tp.t.map((_, i) => mid(i));
  let sx: TimeScale | null = null;
  return timePlot({
    id: 'throughput',
    title: 'Throughput (completions/s per ' + formatDuration(tp.bucketMs) + ' bucket)',
    height: 170,
    yLabel: 'ops/s',
    legend: OUTCOME_NAMES.map((name, i) => [name, OUTCOME_COLORS[i]] as const),
    yExtent: () => [0, max * 1.05],
    draw(ctx, scaleX, sy) {
      sx = scaleX;
      OUTCOME_NAMES.forEach((name, i) => drawLine(ctx, scaleX, sy, mids, tp[name], OUTCOME_COLORS[i]));
    },
    hit(x) {
      if (!sx) return null;
      const i = Math.floor(sx.invert(x) / tp.bucketMs);
      if (i < 0 || i >= tp.t.length) return null;
      return { id: -1, text: formatDuration(tp.t[i]) + ' +' + formatDuration(tp.bucketMs) + ': ok ' + tp.ok[i] + '/s, fail ' + tp.fail[i] + '/s, info ' + tp.info[i] + '/s' };
    },
  });
}
