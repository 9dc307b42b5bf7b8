// Coverage: which interesting Raft events the run reached and how often
// (an election won by a member with a stale log, truncations, snapshot
// installs ...), read from the node logs. Counts per node on demand. Built
// only when the run has coverage.json. Data: reports/coverage-view.ts.
import type { CoverageRow, CoverageView } from '../coverage-view.ts';
import { el } from './dom.ts';
import { formatCount } from './format.ts';
import { model } from './model.ts';

const NOT_OBSERVABLE = 'not observable for this DB';

function countCell(count: number | null): HTMLTableCellElement {
  return count === null ? el('td', { class: 'muted' }, NOT_OBSERVABLE) : el('td', { class: 'num' }, formatCount(count));
}

/** A row's state, for its style and for tests: reached, unreached or unsupported. */
function rowState(row: CoverageRow): string {
  return row.count === null ? 'unsupported' : row.count > 0 ? 'reached' : 'unreached';
}

function totalsTable(view: CoverageView): HTMLTableElement {
  return el('table', { class: 'coverage', id: 'coverage-totals' },
    el('tr', {}, el('th', {}, 'event'), el('th', {}, 'times')),
    view.rows.map((row) => el('tr', { class: 'cov-' + rowState(row), 'data-event': row.event, 'data-state': rowState(row) },
      el('td', {}, el('code', {}, row.event)), countCell(row.count))),
  );
}

function perNodeTable(view: CoverageView): HTMLElement {
  return el('details', { id: 'coverage-per-node' }, el('summary', {}, 'per node'),
    el('table', { class: 'coverage' },
      el('tr', {}, el('th', {}, 'event'), view.nodes.map((node) => el('th', {}, node))),
      view.rows.filter((row) => row.count !== null).map((row) => el('tr', { class: 'cov-' + rowState(row), 'data-event': row.event },
        el('td', {}, el('code', {}, row.event)), row.perNode.map(countCell))),
    ),
  );
}

/** The coverage section; null when the run has no coverage. */
export function coverageSection(): HTMLElement | null {
  const view = model.coverage;
  if (!view) return null;
  return el('section', { id: 'coverage' }, el('h2', {}, 'Raft events reached (coverage)'),
    el('p', { class: 'muted' }, view.reached + ' of ' + view.observable + ' observable events reached, from ' + view.source + '.'),
    totalsTable(view),
    view.nodes.length ? perNodeTable(view) : null,
    view.notes.length ? el('ul', { class: 'muted coverage-notes' }, view.notes.map((n) => el('li', {}, n))) : null,
  );
}
