// A plot's axes: time ticks along the bottom, value ticks (linear or log) with
// grid lines and the axis label on the left.
import { formatDuration } from './format.ts';
import { PLOT_MARGIN, type TimeScale } from './time-scale.ts';

export interface AxisOptions {
  /** The plot's id; the fault strip ('faults') has no value axis. */
  id: string;
  yLog?: boolean;
  yLabel?: string;
}

/** y0, y1: the value range drawn (log10 of it on a log axis). */
export function drawAxes(ctx: CanvasRenderingContext2D, sx: TimeScale, t0: number, t1: number, y0: number, y1: number, opts: AxisOptions, width: number, innerH: number): void {
  ctx.strokeStyle = '#bbb';
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(PLOT_MARGIN.left, PLOT_MARGIN.top + innerH + 0.5);
  ctx.lineTo(width - PLOT_MARGIN.right, PLOT_MARGIN.top + innerH + 0.5);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const unit = t1 - t0 > 5000 ? 1000 : 1;
  for (const t of niceTicks(t0 / unit, t1 / unit, Math.max(2, Math.floor(width / 110)))) {
    const x = sx(t * unit);
    ctx.fillText(t + (unit === 1000 ? ' s' : ' ms'), x, PLOT_MARGIN.top + innerH + 5);
  }
  if (opts.id === 'faults') return;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ticks = opts.yLog ? niceLogTicks(y0, y1) : niceTicks(y0, y1, 4);
  for (const v of ticks) {
    const y = PLOT_MARGIN.top + innerH - ((opts.yLog ? Math.log10(v) : v) - y0) / (y1 - y0) * innerH;
    ctx.fillText(opts.yLog ? formatDuration(v) : String(v), PLOT_MARGIN.left - 6, y);
    ctx.strokeStyle = '#eee';
    ctx.beginPath();
    ctx.moveTo(PLOT_MARGIN.left, Math.round(y) + 0.5);
    ctx.lineTo(width - PLOT_MARGIN.right, Math.round(y) + 0.5);
    ctx.stroke();
  }
  ctx.save();
  ctx.translate(12, PLOT_MARGIN.top + innerH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(opts.yLabel || '', 0, 0);
  ctx.restore();
}

/** "Nice" tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw) || 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(12));
  return ticks;
}

/** Powers of ten between the exponents lo and hi. */
function niceLogTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) ticks.push(Math.pow(10, e));
  return ticks.length ? ticks : [Math.pow(10, lo)];
}
