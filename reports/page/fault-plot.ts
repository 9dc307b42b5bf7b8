// The fault strip: one row per fault kind, each interval a labelled bar; hover says what and where.
import type { ReportFault } from '../report-data.ts';
import { faultColor } from './colors.ts';
import { formatDuration } from './format.ts';
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
        ctx.fillStyle = faultColor(f.fault);
        ctx.globalAlpha = f.healed ? 0.75 : 0.4;
        ctx.fillRect(x0, y, x1 - x0, rowH - 4);
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#fff';
        if (x1 - x0 > 40) ctx.fillText((f.nodes.join(' ') || f.fault).slice(0, Math.floor((x1 - x0) / 6)), x0 + 3, y + (rowH - 4) / 2);
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

function describeFault(f: ReportFault): string {
  return (
    f.fault + (f.nodes.length ? ' on ' + f.nodes.join(', ') : '') + (f.description ? ' — ' + f.description : '') +
    '\nfrom ' + formatDuration(f.start) + ' to ' + (f.healed ? formatDuration(f.end) : 'the end (never healed)') +
    ' (' + formatDuration(f.end - f.start) + ')'
  );
}
