// The latency of each op as a point (log scale, by invoke time): every op when
// the zoomed range holds few enough, else the downsample the model embeds.
import { OUTCOME_COLORS, OUTCOME_NAMES } from './colors.ts';
import { describeOp } from './describe-op.ts';
import { el } from './dom.ts';
import { formatCount } from './format.ts';
import { lowerBound } from './lower-bound.ts';
import { model } from './model.ts';
import { timePlot, type Plot } from './time-plot.ts';
import { state } from './view-state.ts';

/** Ops drawn as points: every op when the zoomed range holds few enough, else the embedded downsample. */
const FULL_POINTS_LIMIT = 40000;

export function latencyScatterPlot(): Plot {
  const sc = model.scatter;
  let maxLatency = 1;
  let minLatency = Infinity;
  for (const v of sc.latency) {
    if (v > maxLatency) maxLatency = v;
    if (v > 0 && v < minLatency) minLatency = v;
  }
  if (!isFinite(minLatency)) minLatency = 0.01;
  const maxCount = sc.count.reduce((a, b) => (b > a ? b : a), 1);
  /** The points of the last drawing, in pixels, with their op ids (for hover and click). */
  let drawn: { x: number[]; y: number[]; id: number[] } = { x: [], y: [], id: [] };
  const note = el('span', { class: 'muted', id: 'scatter-note' });
  const plot = timePlot({
    id: 'latency',
    title: 'Latency of each op (log scale, by invoke time)',
    height: 230,
    yLog: true,
    yLabel: 'latency',
    legend: OUTCOME_NAMES.map((name, i) => [name, OUTCOME_COLORS[i]] as const),
    yExtent: () => [minLatency * 0.8, maxLatency * 1.2],
    draw(ctx, sx, sy, range) {
      drawn = { x: [], y: [], id: [] };
      const put = (t: number, latency: number, type: number, id: number, alpha: number) => {
        const x = sx(t);
        const y = sy(Math.max(latency, minLatency * 0.8));
        ctx.fillStyle = OUTCOME_COLORS[type];
        ctx.globalAlpha = alpha;
        ctx.fillRect(x - 1, y - 1, 2.5, 2.5);
        drawn.x.push(x);
        drawn.y.push(y);
        drawn.id.push(id);
      };
      const cols = state.columns;
      let from = 0;
      let to = 0;
      if (cols) {
        from = lowerBound(cols.n, (i) => cols.start[i] >= range[0]);
        to = lowerBound(cols.n, (i) => cols.start[i] > range[1]);
      }
      // Draw fails and infos last so ok points never hide them.
      if (cols && to - from <= FULL_POINTS_LIMIT) {
        for (const pass of [0, 2, 1])
          for (let i = from; i < to; i++) if (cols.process[i] !== -1 && cols.type[i] === pass) put(cols.start[i], cols.end[i] - cols.start[i], pass, i, 1);
        note.textContent = 'every op in range shown (' + formatCount(drawn.id.length) + ')';
      } else {
        // A downsampled point stands for `count` ops: its opacity says how many,
        // so a lone failure shows without painting the plot the failure colour.
        const logMax = Math.log1p(maxCount);
        for (const pass of [0, 2, 1])
          for (let i = 0; i < sc.id.length; i++)
            if (sc.type[i] === pass && sc.t[i] >= range[0] && sc.t[i] <= range[1]) put(sc.t[i], sc.latency[i], pass, sc.id[i], 0.3 + (0.7 * Math.log1p(sc.count[i])) / logMax);
        note.textContent = sc.downsampled
          ? 'downsampled: ' + formatCount(sc.id.length) + ' of ' + formatCount(sc.total) + ' ops (the slowest per cell, opacity = ops in the cell); zoom in to see every op'
          : '';
      }
      ctx.globalAlpha = 1;
    },
    hit(x, y) {
      let best = -1;
      let bestD = 36;
      for (let i = 0; i < drawn.x.length; i++) {
        const d = (drawn.x[i] - x) ** 2 + (drawn.y[i] - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      return best < 0 ? null : { id: drawn.id[best], text: describeOp(drawn.id[best]) + '\n(click to open)' };
    },
  });
  plot.section.querySelector('.plot-title')!.append(note);
  return plot;
}
