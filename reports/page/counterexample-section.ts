// A linearizability counterexample drawn as Porcupine's visualizer does:
// one row per process with each op of the failing partition as a bar from
// call to return; ops of the longest linearizable prefix are numbered in
// linearization order, the op(s) that could not be linearized are red, and
// the model state before the failure is spelled out; the checker's smallest
// story of the failure, when it shrank one, is told in words above the chart.
// Data: reports/counterexample.ts.
import type { CounterexampleView } from '../counterexample.ts';
import { el } from './dom.ts';
import { formatCount } from './format.ts';
import { model } from './model.ts';
import { state } from './view-state.ts';

function counterexampleView(cx: CounterexampleView, index: number): HTMLDivElement {
  const procs = [...new Set(cx.ops.map((o) => o.process))].sort((a, b) => (+a - +b) || a.localeCompare(b));
  const finite = cx.ops.filter((o) => o.end !== null).map((o) => o.end!);
  const t0 = Math.min(...cx.ops.map((o) => o.start));
  const t1 = Math.max(t0 + 0.001, ...finite, ...cx.ops.map((o) => o.start)) ;
  const span = (t1 - t0) * 1.08;
  const pct = (t: number) => ((t - t0) / span) * 100 + '%';
  const rows = procs.map((p) =>
    el(
      'div',
      { class: 'cx-row' },
      el('span', { class: 'cx-proc' }, 'p' + p),
      el(
        'div',
        { class: 'cx-lane' },
        cx.ops
          .filter((o) => o.process === p)
          .map((o) => {
            const kind = o.stuckReason !== undefined ? 'cx-stuck' : o.linearizedAt !== null ? 'cx-linearized' : 'cx-other';
            const end = o.end === null ? t0 + span : o.end;
            const bar = el(
              'div',
              {
                class: 'cx-op ' + kind + (o.end === null ? ' cx-open' : ''),
                'data-op': String(o.id),
                style: 'left:' + pct(o.start) + ';width:calc(' + pct(end) + ' - ' + pct(o.start) + ')',
                title: o.description + (o.stateAfter !== undefined ? '\nstate after: ' + o.stateAfter : '') + (o.stuckReason ? '\ncannot linearize: ' + o.stuckReason : ''),
                onclick: () => o.id >= 0 && state.select(o.id),
              },
              (o.linearizedAt !== null ? '#' + (o.linearizedAt + 1) + ' ' : '') + o.description,
            );
            return bar;
          }),
      ),
    ),
  );
  const stuck = cx.ops.filter((o) => o.stuckReason !== undefined);
  const prefix = cx.ops.filter((o) => o.linearizedAt !== null).sort((a, b) => a.linearizedAt! - b.linearizedAt!);
  const lastSteps = prefix.slice(-8);
  return el(
    'div',
    { class: 'counterexample', id: 'counterexample-' + index },
    el('h3', {}, cx.checker + (cx.key !== null ? ': key ' + cx.key : '') + ' — ' + formatCount(cx.opCount) + ' ops, linearizable prefix of ' + formatCount(cx.prefixLength)),
    el(
      'div',
      { class: 'cx-failure' },
      stuck.length
        ? stuck.map((o) =>
            el('p', {}, el('b', {}, 'Could not linearize: '), el('a', { href: '#record', class: 'op-link', onclick: () => state.select(o.id) }, o.description + ' (p' + o.process + ')'), ' — ', o.stuckReason),
          )
        : el('p', {}, 'No single op was blamed; the search could not extend the prefix below.'),
      el('p', {}, el('b', {}, 'Model state before it: '), el('code', {}, cx.statesAtFailure.join('  |  ') || '(not reported)')),
    ),
    cx.smallest
      ? el('details', { class: 'cx-story', open: true }, el('summary', {}, 'Smallest story (' + formatCount(cx.smallest.opCount) + ' of ' + formatCount(cx.smallest.originalOpCount) + ' ops)'), el('pre', {}, cx.smallest.explanation.join('\n')))
      : null,
    el('div', { class: 'cx-chart' }, rows),
    cx.omitted ? el('p', { class: 'muted' }, formatCount(cx.omitted) + ' ops of this partition far from the failure are not drawn.') : null,
    el('details', {}, el('summary', {}, 'Last steps of the longest linearizable prefix'),
      el('ol', { start: String(lastSteps.length ? lastSteps[0].linearizedAt! + 1 : 1) }, lastSteps.map((o) => el('li', {}, o.description + ' (p' + o.process + ') → ', el('code', {}, o.stateAfter || ''))))),
    el('p', { class: 'legend' }, el('span', { class: 'key' }, el('i', { class: 'cx-linearized' }), 'linearized (#order)'), el('span', { class: 'key' }, el('i', { class: 'cx-stuck' }), 'could not be linearized'), el('span', { class: 'key' }, el('i', { class: 'cx-other' }), 'not yet placed')),
  );
}

/** Every counterexample of the run; null when there is none. */
export function counterexamplesSection(): HTMLElement | null {
  if (!model.counterexamples.length) return null;
  return el('section', { id: 'counterexamples' }, el('h2', {}, 'Counterexample'), model.counterexamples.map(counterexampleView));
}
