// A time plot on canvas (no chart library: four plot kinds sharing one x range
// and one set of fault bands are less code than adapting a library, and canvas
// draws tens of thousands of points where SVG would crawl).
// Every plot: fault bands behind the data, drag to zoom (all plots and the
// timeline follow), double-click or "reset zoom" to see the whole run, hover
// for a tooltip, click a point to open that op.
import { drawAxes, type AxisOptions } from './axes.ts';
import { sizeCanvas } from './canvas.ts';
import { el } from './dom.ts';
import { drawFaultBands } from './fault-bands.ts';
import { PLOT_MARGIN, timeScale, type TimeScale } from './time-scale.ts';
import { state, type TimeRange } from './view-state.ts';

/** What the pointer is on: a line of text, and the op it opens (-1: none). */
export interface PlotHit {
  id: number;
  text: string;
}

export interface PlotOptions extends AxisOptions {
  title: string;
  /** CSS pixels, margins included. */
  height: number;
  legend?: ReadonlyArray<readonly [label: string, color: string]>;
  /** The value range to show. */
  yExtent(): [number, number];
  /** Draws the data, clipped to the plot area. */
  draw(ctx: CanvasRenderingContext2D, sx: TimeScale, sy: (v: number) => number, range: TimeRange): void;
  hit?(x: number, y: number): PlotHit | null;
}

export interface Plot {
  opts: PlotOptions;
  canvas: HTMLCanvasElement;
  section: HTMLDivElement;
  /** The scales of the last drawing (null before the first). */
  sx: TimeScale | null;
  sy: ((v: number) => number) | null;
  width: number;
  draw(): void;
}

/** Every plot made, redrawn together. */
const plots: Plot[] = [];

export function timePlot(opts: PlotOptions): Plot {
  const canvas = el('canvas', { class: 'plot-canvas', 'data-plot': opts.id });
  const brush = el('div', { class: 'brush', hidden: true });
  const tooltip = el('div', { class: 'tooltip', hidden: true });
  const legend = el('span', { class: 'legend' }, (opts.legend || []).map(([label, color]) => el('span', { class: 'key' }, el('i', { style: 'background:' + color }), label)));
  const box = el('div', { class: 'plot-box' }, canvas, brush, tooltip);
  const section = el('div', { class: 'plot', id: 'plot-' + opts.id }, el('div', { class: 'plot-title' }, el('b', {}, opts.title), legend), box);
  const plot: Plot = {
    opts,
    canvas,
    section,
    sx: null,
    sy: null,
    width: 0,
    draw() {
      const width = box.clientWidth || 800;
      plot.width = width;
      const height = opts.height;
      const ctx = sizeCanvas(canvas, width, height);
      const [t0, t1] = state.range;
      const innerW = width - PLOT_MARGIN.left - PLOT_MARGIN.right;
      const innerH = height - PLOT_MARGIN.top - PLOT_MARGIN.bottom;
      const sx = timeScale(t0, t1, innerW);
      let [y0, y1] = opts.yExtent();
      if (opts.yLog) {
        y0 = Math.log10(Math.max(y0, 1e-3));
        y1 = Math.log10(Math.max(y1, Math.pow(10, y0 + 1)));
      }
      if (!(y1 > y0)) y1 = y0 + 1;
      const sy = (v: number) => {
        const y = opts.yLog ? Math.log10(Math.max(v, 1e-3)) : v;
        return PLOT_MARGIN.top + innerH - ((y - y0) / (y1 - y0)) * innerH;
      };
      plot.sx = sx;
      plot.sy = sy;
      ctx.clearRect(0, 0, width, height);
      drawFaultBands(ctx, sx, PLOT_MARGIN.top, innerH, opts.id === 'faults');
      drawAxes(ctx, sx, t0, t1, y0, y1, opts, width, innerH);
      ctx.save();
      ctx.beginPath();
      ctx.rect(PLOT_MARGIN.left, PLOT_MARGIN.top - 2, innerW, innerH + 4);
      ctx.clip();
      opts.draw(ctx, sx, sy, state.range);
      ctx.restore();
    },
  };

  let dragFrom: number | null = null;
  const localX = (e: MouseEvent) => e.clientX - canvas.getBoundingClientRect().left;
  const localY = (e: MouseEvent) => e.clientY - canvas.getBoundingClientRect().top;
  canvas.addEventListener('mousedown', (e) => {
    dragFrom = localX(e);
    e.preventDefault();
  });
  window.addEventListener('mousemove', (e) => {
    if (dragFrom === null) return;
    const x = localX(e);
    brush.hidden = false;
    brush.style.left = Math.min(x, dragFrom) + 'px';
    brush.style.width = Math.abs(x - dragFrom) + 'px';
  });
  window.addEventListener('mouseup', (e) => {
    if (dragFrom === null) return;
    const x = localX(e);
    const from = dragFrom;
    dragFrom = null;
    brush.hidden = true;
    if (Math.abs(x - from) > 4 && plot.sx) state.setRange(plot.sx.invert(Math.min(x, from)), plot.sx.invert(Math.max(x, from)));
    else if (opts.hit) {
      const hit = opts.hit(x, localY(e));
      if (hit && hit.id >= 0) state.select(hit.id);
    }
  });
  canvas.addEventListener('dblclick', () => state.resetRange());
  canvas.addEventListener('mousemove', (e) => {
    if (dragFrom !== null || !opts.hit || !plot.sx) return;
    const x = localX(e);
    const y = localY(e);
    const hit = opts.hit(x, y);
    tooltip.hidden = !hit;
    if (hit) {
      tooltip.textContent = hit.text;
      tooltip.style.left = Math.min(x + 12, plot.width - 260) + 'px';
      tooltip.style.top = y + 12 + 'px';
    }
    canvas.style.cursor = hit && hit.id >= 0 ? 'pointer' : 'crosshair';
  });
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  plots.push(plot);
  return plot;
}

export function redrawPlots(): void {
  for (const p of plots) p.draw();
}
