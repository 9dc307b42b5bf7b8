// The run at a glance: how to reproduce it, seed, versions, counts, options.
import { el, type Child } from './dom.ts';
import { formatCount, formatDuration } from './format.ts';
import { model } from './model.ts';

export function runInfoSection(): HTMLElement {
  const t = model.test;
  const c = model.counts;
  const rows: Array<[string, Child]> = [
    ['command', t.command ? el('code', { id: 'reproduce' }, t.command) : el('span', { class: 'muted' }, 'not recorded')],
    ['seed', t.seed !== undefined ? String(t.seed) : '—'],
    ['started', t.startTime !== undefined ? String(typeof t.startTime === 'number' ? new Date(t.startTime).toISOString() : t.startTime) : '—'],
    ['versions', Object.entries(t.versions || {}).map(([k, v]) => k + ' ' + v).join(', ') || '—'],
    ['operations', formatCount(c.clientOps) + ' client ops (' + formatCount(c.ok) + ' ok, ' + formatCount(c.fail) + ' fail, ' + formatCount(c.info) + ' info) by ' + formatCount(c.processes) + ' processes over ' + formatDuration(c.durationMs)],
    ['faults', formatCount(c.faults) + ' intervals'],
    ['options', el('code', {}, JSON.stringify(t.options || {}))],
    ['run folder', el('code', {}, model.runDir)],
  ];
  if (c.malformedLines || c.orphanCompletions) rows.push(['warnings', formatCount(c.malformedLines) + ' unreadable history lines, ' + formatCount(c.orphanCompletions) + ' completions without an invoke']);
  return el('section', { id: 'meta' }, el('table', { class: 'meta' }, rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
}
