// Fault intervals drawn behind the data of every plot and of the timeline.
import { faultColor } from './colors.ts';
import { inForce } from './fault-effects.ts';
import { model } from './model.ts';
import { PLOT_MARGIN, type TimeScale } from './time-scale.ts';
import { state } from './view-state.ts';

/**
 * Every fault interval in force as a translucent band (the fault strip itself
 * draws bars instead), other nemesis ops as dashed lines. A fault shown to
 * have had no effect gets no band: nothing was in force behind those points.
 */
export function drawFaultBands(ctx: CanvasRenderingContext2D, sx: TimeScale, top: number, innerH: number, barsOnly: boolean): void {
  const right = sx(state.range[1]);
  for (const f of barsOnly ? [] : model.faults.filter(inForce)) {
    const x0 = Math.max(PLOT_MARGIN.left, sx(f.start));
    const x1 = Math.min(right, sx(f.end));
    if (x1 < PLOT_MARGIN.left || x0 > right) continue;
    ctx.fillStyle = faultColor(f.fault);
    ctx.globalAlpha = 0.13;
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), innerH);
    ctx.globalAlpha = 1;
  }
  for (const e of model.events) {
    const x = sx(e.time);
    if (x < PLOT_MARGIN.left || x > sx(state.range[1])) continue;
    ctx.strokeStyle = '#888';
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + innerH);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
