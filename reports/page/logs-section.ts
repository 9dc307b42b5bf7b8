// Node logs: links to the full files, and the lines around each fault.
import { el, fileLink } from './dom.ts';
import { formatCount, formatDuration } from './format.ts';
import { model } from './model.ts';

export function logsSection(): HTMLElement {
  const { files, excerpts } = model.logs;
  if (!files.length) return el('section', { id: 'logs' }, el('h2', {}, 'Node logs'), el('p', { class: 'muted' }, 'No node logs in this run folder.'));
  return el(
    'section',
    { id: 'logs' },
    el('h2', {}, 'Node logs'),
    el('p', {}, 'Full files: ', files.map((f) => el('span', { class: 'file' }, fileLink(f.path), ' (' + formatCount(f.bytes) + ' bytes)'))),
    excerpts.length ? null : el('p', { class: 'muted' }, 'No excerpts: the logs have no timestamps near a fault, or test.json has no startTime.'),
    excerpts.map((x) => {
      const f = model.faults[x.fault];
      return el('details', { class: 'excerpt', open: excerpts.length <= 6 },
        el('summary', {}, f.fault + ' at ' + formatDuration(f.start) + (f.nodes.length ? ' on ' + f.nodes.join(' ') : '') + ' — ' + x.node + ': ', fileLink(x.file)),
        el('pre', {}, x.lines.map((l) => el('span', { class: 'log-line' }, el('span', { class: 'line-no' }, String(l.n)), l.text + '\n'))),
      );
    }),
  );
}
