// etcd's watch guarantees (checkers/watch): each watcher with what it asked
// for and how far it got, then each violation with its rule, watcher,
// revision, key and explanation. Built only when the run has a watch result.
import type { WatchDetails } from '../../checkers/index.ts';
import { el } from './dom.ts';
import { formatCount, verdictWord } from './format.ts';
import { model } from './model.ts';

function optionsText(o: WatchDetails['watchers'][number]['options']): string {
  const parts = [`[${o.key}, ${o.rangeEnd})`, `from ${o.start === 'first' ? 'revision 1' : 'the current revision'}`];
  if (o.prevKv) parts.push('prev_kv');
  if (o.filters?.length) parts.push(`filter ${o.filters.join(',')}`);
  if (o.progressNotify) parts.push('progress notify');
  return parts.join(', ');
}

export function watchSection(): HTMLElement | null {
  const result = model.results.checkers.find((c) => c.checker === 'watch');
  if (!result) return null;
  const d = (result.details ?? {}) as Partial<WatchDetails>;
  const violations = d.violations ?? [];
  const total = Object.values(d.counts ?? {}).reduce((n, c) => n + c, 0);
  return el('section', { id: 'watch' },
    el('h2', {}, "etcd's watch guarantees: " + verdictWord(result.valid)),
    el('p', {}, result.summary),
    d.watchers?.length
      ? el('table', { class: 'watch-watchers' },
          el('tr', {}, el('th', {}, 'watcher'), el('th', {}, 'watching'), el('th', {}, 'from'), el('th', {}, 'last revision'), el('th', {}, 'events'), el('th', {}, 'progress'), el('th', {}, 'streams')),
          d.watchers.map((w) => el('tr', { class: 'watch-watcher', 'data-watcher': w.id },
            el('td', {}, el('code', {}, w.id)), el('td', {}, optionsText(w.options)), el('td', { class: 'num' }, w.from === undefined ? '-' : String(w.from)),
            el('td', { class: 'num' }, String(w.last)), el('td', { class: 'num' }, formatCount(w.events)), el('td', { class: 'num' }, formatCount(w.progress)), el('td', { class: 'num' }, String(w.starts)))),
        )
      : null,
    violations.length
      ? el('table', { class: 'watch-violations' },
          el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'watcher'), el('th', {}, 'revision'), el('th', {}, 'key'), el('th', {}, 'ops'), el('th', {}, 'what went wrong')),
          violations.map((v) => el('tr', { class: 'watch-violation', 'data-rule': v.rule },
            el('td', {}, el('code', {}, v.rule)), el('td', {}, v.watcher), el('td', { class: 'num' }, String(v.revision)), el('td', {}, v.key ?? ''), el('td', {}, v.ops.join(' ')), el('td', {}, v.explanation))),
        )
      : null,
    total > violations.length ? el('p', { class: 'muted' }, `Showing ${violations.length} of ${formatCount(total)} violations.`) : null,
  );
}
