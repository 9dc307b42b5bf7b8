// The four time plots under one zoom toolbar.
import { el } from './dom.ts';
import { faultPlot } from './fault-plot.ts';
import { formatDuration } from './format.ts';
import { latencyScatterPlot } from './latency-plot.ts';
import { quantilePlot } from './quantile-plot.ts';
import { throughputPlot } from './throughput-plot.ts';
import { state } from './view-state.ts';

export function plotsSection(): HTMLElement {
  const rangeLabel = el('span', { id: 'range-label', class: 'muted' });
  const reset = el('button', { id: 'reset-zoom', onclick: () => state.resetRange() }, 'reset zoom');
  const update = () => (rangeLabel.textContent = 'showing ' + formatDuration(state.range[0]) + ' – ' + formatDuration(state.range[1]) + ' (drag on any plot to zoom)');
  state.on('range', update);
  update();
  const section = el('section', { id: 'plots' }, el('h2', {}, 'Faults, throughput and latency'), el('div', { class: 'toolbar' }, reset, rangeLabel));
  for (const plot of [faultPlot(), throughputPlot(), latencyScatterPlot(), quantilePlot()]) section.append(plot.section);
  return section;
}
