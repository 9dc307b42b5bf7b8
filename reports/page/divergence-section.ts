// Replica divergence: the state hash every node reported, the odd ones out
// highlighted with the first keys whose values differ from the reference.
// Built only when a divergence result is present. Data: reports/divergence-view.ts.
import type { DivergenceRow, DivergenceStatus, DivergenceView } from '../divergence-view.ts';
import { el } from './dom.ts';
import { formatCount } from './format.ts';
import { jumpTo } from './jump.ts';
import { model } from './model.ts';

const DIVERGENCE_STATUS: Record<DivergenceStatus, string> = {
  reference: 'reference (majority)',
  agrees: 'agrees',
  divergent: 'DIVERGED',
  missing: 'not compared',
  reported: 'reported',
};

/** A key's value on one node; null: the node does not have the key. */
function showValue(v: string | null): string {
  return v === null ? 'absent' : JSON.stringify(v);
}

/** A node's row, and beneath it the first keys that differ when it diverged. */
function divergenceRows(view: DivergenceView, row: DivergenceRow): HTMLTableRowElement[] {
  const status = DIVERGENCE_STATUS[row.status] || row.status;
  const main = el(
    'tr',
    { class: 'div-row div-' + row.status, 'data-node': row.node, 'data-status': row.status },
    el('td', {}, row.id >= 0 ? el('button', { class: 'txn-link', 'data-op': String(row.id), title: 'open this node’s state-hash op', onclick: () => jumpTo(row.id) }, row.node) : row.node),
    el('td', { class: 'num' }, row.index === null ? '—' : formatCount(row.index)),
    el('td', {}, row.hash === null ? '—' : el('code', {}, row.hash)),
    el('td', {}, status, row.reason ? el('span', { class: 'muted' }, ': ' + row.reason) : null),
  );
  if (!row.differingKeys.length) return [main];
  const ref = view.referenceNode || 'reference';
  const keys = el(
    'tr',
    { class: 'div-keys', 'data-node': row.node },
    el('td', {}),
    el('td', { colspan: 3 },
      el('table', { class: 'div-key-table' },
        el('tr', {}, el('th', {}, 'first differing keys'), el('th', {}, 'on ' + row.node), el('th', {}, 'on ' + ref)),
        row.differingKeys.map((k) => el('tr', { class: 'div-key' }, el('td', {}, el('code', {}, k.key)), el('td', {}, el('code', {}, showValue(k.member))), el('td', {}, el('code', {}, showValue(k.reference))))),
      ),
    ),
  );
  return [main, keys];
}

function divergenceView(view: DivergenceView, vi: number): HTMLDivElement {
  return el(
    'div',
    { class: 'divergence-view', id: 'divergence-' + vi },
    el('p', {}, view.commonIndex === null ? 'No common index: the nodes could not be compared.' : ['Compared at index ', el('b', {}, formatCount(view.commonIndex)), view.referenceHash !== null ? [': the majority’s hash is ', el('code', {}, view.referenceHash)] : null, '.']),
    el('table', { class: 'divergence' },
      el('tr', {}, el('th', {}, 'node'), el('th', {}, 'index'), el('th', {}, 'state hash'), el('th', {}, 'status')),
      view.rows.map((row) => divergenceRows(view, row)),
    ),
    view.earlier ? earlierDivergence(view.earlier) : null,
  );
}

// The hash histories disagreed before the final index (state damaged, maybe repaired since).
function earlierDivergence(e: NonNullable<DivergenceView['earlier']>): HTMLParagraphElement {
  return el('p', { class: 'divergence-earlier' },
    'Hash histories first differ at index ', el('b', {}, formatCount(e.index)), ': ',
    e.divergent.map((d, i) => [i ? ', ' : '', el('b', {}, d.node), ' had ', el('code', {}, d.hash)]),
    ' while ', e.reference.members.join(', '), ' had ', el('code', {}, e.reference.hash), '.',
  );
}

/** The divergence views of the run; null when no divergence result. */
export function divergenceSection(): HTMLElement | null {
  if (!model.divergence || !model.divergence.length) return null;
  return el('section', { id: 'divergence' }, el('h2', {}, 'Replica state hashes'), model.divergence.map(divergenceView));
}
