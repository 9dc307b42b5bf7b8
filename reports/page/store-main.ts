'use strict'; // kept in the bundle (a classic script): strict as the modules it is made of
// Entry of the store browser's script (`faultline serve`, bundled by
// reports/page-script.ts): every run of the store in one table, filtered and
// sorted in the page (the server sends the cached index once per view).
// Data: reports/store-index.ts.
import type { StoreRun } from '../store-index.ts';
import { el } from './dom.ts';
import { formatCount, formatDuration, verdictWord } from './format.ts';

const runs: StoreRun[] = JSON.parse(document.getElementById('store-runs')!.textContent!);

function runLink(run: StoreRun, file: string, label: string): HTMLAnchorElement {
  return el('a', { href: '/runs/' + run.id.split('/').map(encodeURIComponent).join('/') + '/' + file }, label);
}

function renderStore(): void {
  const app = document.getElementById('app')!;
  app.textContent = '';
  const filter = el('input', { id: 'store-filter', type: 'search', placeholder: 'filter: test, checker, verdict…', size: 36 });
  const verdict = el('select', { id: 'store-verdict' }, ['all', 'valid', 'invalid', 'unknown'].map((v) => el('option', { value: v }, v === 'all' ? 'every verdict' : v)));
  const count = el('span', { class: 'muted', id: 'store-count' });
  const columns: Array<[name: string, value: (r: StoreRun) => string | number]> = [
    ['test', (r) => r.test],
    ['time', (r) => r.time],
    ['verdict', (r) => verdictWord(r.valid)],
    ['ops', (r) => r.ops],
    ['faults', (r) => r.faults],
    ['duration', (r) => r.durationMs],
  ];
  let sortBy = 1;
  let descending = true;
  const head = el('tr', {}, columns.map(([name], i) => el('th', { class: 'sortable', 'data-column': name, onclick: () => {
    // A new column sorts biggest / newest first, except names (A to Z).
    descending = sortBy === i ? !descending : i !== 0;
    sortBy = i;
    draw();
  } }, name)), el('th', {}, 'checkers'), el('th', {}, 'files'));
  const body = el('tbody', { id: 'store-rows' });
  app.append(
    el('header', {}, el('h1', {}, 'faultline store'), el('span', { class: 'muted' }, formatCount(runs.length) + ' runs')),
    el('section', {}, el('div', { class: 'filters' }, filter, verdict, count), el('table', { class: 'runs' }, el('thead', {}, head), body)),
  );

  function row(run: StoreRun): HTMLTableRowElement {
    const word = verdictWord(run.valid);
    return el('tr', { 'data-run': run.id, class: 'run-' + word },
      // Runs without report.html get one rendered by the server on request.
      el('td', {}, runLink(run, 'report.html', run.test)),
      el('td', {}, run.time.replace('T', ' ').replace('Z', '')),
      el('td', {}, el('span', { class: 'overall verdict-' + word }, word)),
      el('td', { class: 'num' }, formatCount(run.ops)),
      el('td', { class: 'num' }, formatCount(run.faults)),
      el('td', { class: 'num' }, formatDuration(run.durationMs)),
      el('td', {}, run.checkers.map((c) => el('span', { class: 'checker verdict-' + verdictWord(c.valid), title: c.summary }, c.checker + ': ' + verdictWord(c.valid)))),
      el('td', { class: 'files' }, runLink(run, 'report.html', 'report'), run.files.filter((f) => f !== 'report.html').map((f) => runLink(run, f, f))),
    );
  }

  function draw(): void {
    const text = filter.value.trim().toLowerCase();
    const wanted = verdict.value;
    const get = columns[sortBy][1];
    const shown = runs
      .filter((r) => wanted === 'all' || verdictWord(r.valid) === wanted)
      .filter((r) => !text || [r.test, r.id, verdictWord(r.valid)].concat(r.checkers.map((c) => c.checker + ' ' + verdictWord(c.valid) + ' ' + c.summary)).join(' ').toLowerCase().includes(text))
      .sort((a, b) => {
        const x = get(a);
        const y = get(b);
        const order = typeof x === 'number' ? x - (y as number) : String(x).localeCompare(String(y));
        return descending ? -order : order;
      });
    body.textContent = '';
    // Hundreds of rows are fine as DOM; past 2000 the rest wait for a narrower filter.
    shown.slice(0, 2000).forEach((r) => body.append(row(r)));
    count.textContent = formatCount(shown.length) + ' shown' + (shown.length > 2000 ? ' (first 2,000 listed: filter to narrow)' : '');
    for (const th of head.querySelectorAll<HTMLTableCellElement>('th.sortable')) th.classList.toggle('sorted', th.dataset.column === columns[sortBy][0]);
  }
  filter.addEventListener('input', draw);
  verdict.addEventListener('change', draw);
  draw();
  document.body.dataset.rendered = 'store';
}

renderStore();
