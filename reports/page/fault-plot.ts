// The fault strip: one row per fault kind, each interval a labelled bar; hover
// says what, where, and whether it took effect. A fault without effect is a
// hollow, dashed, hatched outline in red, never a solid bar.
import type { ReportFault } from '../report-data.ts';
import { faultColor } from './colors.ts';
import { describeEffect, effectWord, inForce } from './fault-effects.ts';
import { formatDuration } from './format.ts';
import { faultLabel } from './fault-label.ts';
import { model } from './model.ts';
import { PLOT_MARGIN } from './time-scale.ts';
import { timePlot, type Plot } from './time-plot.ts';

export function faultPlot(): Plot {
  const kinds = [...new Set(model.faults.map((f) => f.fault))];
  const rowH = 18;
  let bars: Array<{ x0: number; x1: number; y: number; i: number }> = [];
  return timePlot({
    id: 'faults',
    title: 'Faults (' + model.faults.length + ')',
    height: PLOT_MARGIN.top + PLOT_MARGIN.bottom + Math.max(1, kinds.length) * rowH + 4,
    legend: kinds.map((k) => [k, faultColor(k)] as const),
    yExtent: () => [0, 1],
    draw(ctx, sx) {
      bars = [];
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      model.faults.forEach((f, i) => {
        const y = PLOT_MARGIN.top + kinds.indexOf(f.fault) * rowH + 2;
        const x0 = sx(f.start);
        const x1 = Math.max(x0 + 2, sx(f.end));
        if (inForce(f)) {
          ctx.fillStyle = faultColor(f.fault);
          // Unverified: in force as far as anyone knows, drawn fainter.
          ctx.globalAlpha = effectWord(f) === 'unverified' ? 0.35 : f.healed ? 0.75 : 0.4;
          ctx.fillRect(x0, y, x1 - x0, rowH - 4);
          ctx.globalAlpha = 1;
          ctx.fillStyle = '#fff';
          if (x1 - x0 > 40) ctx.fillText(faultLabel(f).slice(0, Math.floor((x1 - x0) / 6)), x0 + 3, y + (rowH - 4) / 2);
        } else {
          drawIneffective(ctx, x0, x1, y, rowH - 4);
        }
        bars.push({ x0, x1, y, i });
      });
      if (!model.faults.length) {
        ctx.fillStyle = '#777';
        ctx.fillText('no faults were injected in this run', PLOT_MARGIN.left + 8, PLOT_MARGIN.top + rowH / 2);
      }
    },
    hit(x, y) {
      const bar = bars.find((b) => x >= b.x0 - 2 && x <= b.x1 + 2 && y >= b.y && y <= b.y + rowH);
      if (!bar) return null;
      return { id: -1, text: describeFault(model.faults[bar.i]) };
    },
  });
}

/** A fault that did nothing: a red dashed outline with hatching, labelled, so it cannot pass for one in force. */
function drawIneffective(ctx: CanvasRenderingContext2D, x0: number, x1: number, y: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, y, x1 - x0, h);
  ctx.clip();
  ctx.strokeStyle = '#d03c3c';
  ctx.lineWidth = 1;
  for (let x = x0 - h; x < x1; x += 6) {
    ctx.beginPath();
    ctx.moveTo(x, y + h);
    ctx.lineTo(x + h, y);
    ctx.stroke();
  }
  ctx.restore();
  ctx.strokeStyle = '#d03c3c';
  ctx.setLineDash([4, 3]);
  ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(1, x1 - x0 - 1), h - 1);
  ctx.setLineDash([]);
  if (x1 - x0 > 60) {
    ctx.fillStyle = '#b01c1c';
    ctx.fillText('no effect', x0 + 3, y + h / 2);
  }
}

function describeFault(f: ReportFault): string {
  return (
    f.fault + (f.nodes.length ? ' on ' + f.nodes.join(', ') : '') + (f.description ? ' — ' + f.description : '') +
    '\nfrom ' + formatDuration(f.start) + ' to ' + (f.healed ? formatDuration(f.end) : 'the end (never healed)') +
    ' (' + formatDuration(f.end - f.start) + ')' +
    '\n' + describeEffect(f)
  );
}
