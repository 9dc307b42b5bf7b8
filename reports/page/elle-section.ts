// Elle's transactional anomalies: the models ruled out, then per anomaly class
// its explained examples. A cycle is drawn as a small graph (elle-graph.ts)
// with the proof-like explanation beside it; every transaction opens its op
// record. Built only when an elle result is present (model.elle is empty
// otherwise). Data: reports/elle-view.ts.
import type { ElleClassView, ElleExampleView, ElleTxnView, ElleView } from '../elle-view.ts';
import { runAfterPaint } from './after-paint.ts';
import { el, type Child } from './dom.ts';
import { cycleGraph, EDGE_COLORS, EDGE_NAMES, isCycle, type CycleExample } from './elle-graph.ts';
import { txnButton } from './elle-txn.ts';
import { formatCount } from './format.ts';
import { model } from './model.ts';

/** Longer cycles are listed, not drawn: a circle of 40 nodes reads worse than the proof. */
const MAX_DRAWN_NODES = 24;

function txnTable(txns: readonly ElleTxnView[]): HTMLTableElement {
  return el(
    'table',
    { class: 'elle-txns' },
    el('tr', {}, el('th', {}, 'txn'), el('th', {}, 'process'), el('th', {}, 'type'), el('th', {}, 'index'), el('th', {}, 'micro-ops')),
    txns.map((t) => el('tr', {}, el('td', {}, txnButton(t)), el('td', {}, t.process), el('td', {}, t.type), el('td', {}, t.index >= 0 ? String(t.index) : '—'), el('td', {}, el('code', {}, t.ops)))),
  );
}

function factsLine(facts: ReadonlyArray<[string, string]>): HTMLParagraphElement | null {
  if (!facts.length) return null;
  return el('p', { class: 'elle-facts muted' }, facts.map(([name, text], i) => [i ? ' · ' : '', name + ': ', el('code', {}, text)]));
}

/**
 * The proof cut before each claim "Ta < Tb because", so each step reads on its
 * own line; the pieces joined are exactly the checker's text.
 */
function proofLines(text: string): string[] {
  return text.split(/(?<=\. |; )(?=T\d+ < T\d+ because )/);
}

function cycleExample(type: string, example: CycleExample): HTMLDivElement {
  const drawn = example.txns.length <= MAX_DRAWN_NODES;
  return el(
    'div',
    { class: 'elle-example elle-cycle' },
    el('div', { class: 'elle-cycle-top' },
      drawn ? cycleGraph(example, type + ' cycle of ' + example.txns.length + ' transactions') : el('p', { class: 'muted' }, 'A cycle of ' + example.txns.length + ' transactions: too long to draw, its steps are listed below.'),
      txnTable(example.txns),
    ),
    el('p', { class: 'elle-explanation' }, proofLines(example.explanation).map((line) => el('span', { class: 'proof-line' }, line))),
    drawn ? null : el('ol', { class: 'elle-steps' }, example.cycle.map((s) => el('li', {}, example.txns[s.from].name + ' < ' + example.txns[s.to].name + ' (' + s.kind + '): ' + s.why))),
    factsLine(example.facts.filter(([name]) => name !== 'key' && name !== 'value')),
  );
}

function listExample(example: ElleExampleView): HTMLLIElement {
  return el(
    'li',
    { class: 'elle-example' },
    el('p', { class: 'elle-explanation' }, example.explanation),
    factsLine(example.facts),
    example.txns.length ? el('p', { class: 'elle-txn-links' }, 'Open: ', example.txns.map((t) => [txnButton(t), ' '])) : null,
  );
}

/** A class's heading at once; its examples (graphs and proofs) are built by `later`, after the first paint. */
function anomalyClassView(klass: ElleClassView, vi: number, later: Array<() => void>): HTMLDivElement {
  const shown = klass.examples.length;
  const hasCycle = klass.examples.some(isCycle);
  const body = el('div', { class: 'elle-examples' });
  later.push(() =>
    body.append(
      ...(hasCycle ? klass.examples.map((x) => (isCycle(x) ? cycleExample(klass.type, x) : el('ul', { class: 'elle-list' }, listExample(x)))) : [el('ul', { class: 'elle-list' }, klass.examples.map(listExample))]),
    ),
  );
  return el(
    'div',
    { class: 'elle-class', id: 'elle-' + vi + '-' + klass.type, 'data-anomaly': klass.type },
    el('h3', {}, klass.type, ' ', el('span', { class: 'muted' }, formatCount(klass.count) + ' found' + (shown < klass.count ? ', ' + shown + ' explained' : ''))),
    klass.meaning ? el('p', { class: 'muted elle-meaning' }, klass.meaning) : null,
    body,
  );
}

function plural(n: number, word: string): string {
  return formatCount(n) + ' ' + word + (n === 1 ? '' : 's');
}

function modelChips(names: readonly string[], cls: string): HTMLSpanElement[] {
  return names.map((m) => el('span', { class: 'model-chip ' + cls }, m));
}

function elleView(view: ElleView, vi: number, later: Array<() => void>): HTMLDivElement {
  const s = view.stats;
  const usedKinds = new Set(view.classes.flatMap((k) => k.examples.flatMap((x) => (x.cycle || []).map((e) => e.kind))));
  const ruledOut: Child = view.not.length
    ? [modelChips(view.not, 'ruled-out'), view.alsoNot.length ? [' and so ', modelChips(view.alsoNot, 'ruled-out-also')] : null]
    : el('span', { class: 'muted' }, 'nothing: no anomaly rules out a consistency model');
  return el(
    'div',
    { class: 'elle-view', id: 'elle-' + vi },
    el('table', { class: 'meta' },
      el('tr', {}, el('th', {}, 'checked'), el('td', {}, modelChips(view.consistencyModels, ''), view.workload ? ' (' + view.workload + ')' : '')),
      s ? el('tr', {}, el('th', {}, 'transactions'), el('td', {}, formatCount(s.txns) + ' (' + formatCount(s.ok) + ' ok, ' + formatCount(s.info) + ' info, ' + formatCount(s.fail) + ' fail), ' + plural(s.edges, 'dependency edge') + ', ' + plural(s.sccs, 'strongly connected component') + (s.sccs ? ' (largest ' + formatCount(s.largestScc) + ' transactions)' : ''))) : null,
      el('tr', { class: 'elle-not' }, el('th', {}, 'ruled out'), el('td', {}, ruledOut)),
      el('tr', { class: 'elle-types' }, el('th', {}, 'anomalies'), el('td', {}, view.classes.length ? view.classes.map((k) => el('button', { class: 'anomaly-chip', onclick: () => document.getElementById('elle-' + vi + '-' + k.type)!.scrollIntoView({ block: 'start' }) }, k.type + ' (' + formatCount(k.count) + ')')) : el('span', { class: 'muted' }, 'none found'))),
    ),
    view.limits.map((l) => el('p', { class: 'muted' }, 'Note: ' + l)),
    s && s.timedOut ? el('p', { class: 'muted' }, 'The cycle search ran out of time: some anomaly classes may be missing (the models ruled out are exact).') : null,
    usedKinds.size ? el('p', { class: 'legend' }, [...usedKinds].map((k) => el('span', { class: 'key', title: EDGE_NAMES[k] || k }, el('i', { style: 'background:' + (EDGE_COLORS[k] || '#6a7280') }), k + ': ' + (EDGE_NAMES[k] || k))), el('span', { class: 'key' }, 'click a transaction to open its record')) : null,
    view.classes.map((k) => anomalyClassView(k, vi, later)),
  );
}

/** The Elle views of the run, their examples drawn after the first paint; null when no elle result. */
export function elleSection(): HTMLElement | null {
  if (!model.elle || !model.elle.length) return null;
  const later: Array<() => void> = [];
  const section = el('section', { id: 'elle' }, el('h2', {}, 'Transactional anomalies (Elle)'), model.elle.map((view, vi) => elleView(view, vi, later)));
  // Up to 8 explained examples per class over dozens of classes: draw them after
  // the verdicts and plots are on screen, one class per task.
  runAfterPaint(later, () => {
    section.dataset.built = 'true';
    window.__faultlineElleBuiltAt = performance.now();
  });
  return section;
}
