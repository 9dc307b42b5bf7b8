// The selected op's full record: summary line, then the invoke and the
// completion exactly as the history has them (decompressed on demand).
import { describeOp } from './describe-op.ts';
import { el } from './dom.ts';
import { prettyJson } from './format.ts';
import { loadRecord } from './op-records.ts';
import { state } from './view-state.ts';

export function recordView(): { section: HTMLElement } {
  const title = el('h2', {}, 'Selected op');
  const summary = el('p', { id: 'record-summary', class: 'muted' }, 'Click an op in a plot, the timeline or the counterexample to see its full record.');
  const invoke = el('pre', { id: 'record-invoke', class: 'record' });
  const completion = el('pre', { id: 'record-completion', class: 'record' });
  const body = el('div', { class: 'record-grid', hidden: true }, el('div', {}, el('h3', {}, 'invoke'), invoke), el('div', {}, el('h3', {}, 'completion'), completion));
  const section = el('section', { id: 'record' }, title, summary, body);
  let shown = -1;

  state.on('select', async () => {
    const id = state.selected;
    if (id === shown) return;
    shown = id;
    summary.textContent = describeOp(id);
    body.hidden = false;
    invoke.textContent = completion.textContent = 'loading…';
    const record = await loadRecord(id);
    if (shown !== id) return;
    invoke.textContent = record && record[0] ? prettyJson(record[0]) : '(no invoke in the history)';
    completion.textContent = record && record[1] ? prettyJson(record[1]) : '(never completed: indeterminate, treated as info)';
    section.dataset.op = String(id);
  });
  return { section };
}
