// Elle's transactional anomalies: the models ruled out, then per anomaly class
// its explained examples. A cycle is drawn as a small graph (transactions on a
// circle, one labelled arrow per dependency, in the order of the proof) with
// the proof-like explanation beside it; every transaction opens its op record.
// Built only when an elle result is present (model.elle is empty otherwise).

const EDGE_COLORS = { ww: '#3a7bbf', wr: '#3b8f4e', rw: '#d03c3c', process: '#8e6cc0', realtime: '#b08a2e' };
const EDGE_NAMES = { ww: 'write → write', wr: 'write → read', rw: 'read → later write (anti-dependency)', process: 'same process, in order', realtime: 'completed before it began' };
/** Longer cycles are listed, not drawn: a circle of 40 nodes reads worse than the proof. */
const MAX_DRAWN_NODES = 24;
const NODE_RADIUS = 17;

/** Opens the transaction's op record in the panel the timeline uses. */
function openTxn(t) {
  if (t.id >= 0) jumpTo(t.id);
}

function txnTitle(t) {
  return t.name + (t.process !== '' ? ' — process ' + t.process + ', ' + t.type + ', history index ' + t.index : '') + (t.ops ? '\n' + t.ops : '') + (t.id < 0 ? '\n(not in this report’s history)' : '');
}

function txnButton(t) {
  return el('button', { class: 'txn-link', 'data-op': String(t.id), 'data-txn': t.name, disabled: t.id < 0, title: txnTitle(t), onclick: () => openTxn(t) }, t.name);
}

/** Shortens a label drawn inside the graph; the full text is in the edge's tooltip and the proof. */
function shortLabel(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The cycle on a circle: T1 first (at the top, or on the left for two), then clockwise in cycle order. */
function cycleGraph(example, label) {
  const n = example.txns.length;
  const radius = n <= 2 ? 80 : Math.max(70, (n * (2 * NODE_RADIUS + 40)) / (2 * Math.PI));
  const start = n === 2 ? Math.PI : -Math.PI / 2;
  const at = example.txns.map((_, i) => {
    const a = start + (2 * Math.PI * i) / n;
    return [radius * Math.cos(a), radius * Math.sin(a)];
  });
  // The drawing's extent, grown as things are placed; the viewBox fits it at the end.
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const cover = (x, y, halfWidth, halfHeight) => {
    box[0] = Math.min(box[0], x - halfWidth);
    box[1] = Math.min(box[1], y - halfHeight);
    box[2] = Math.max(box[2], x + halfWidth);
    box[3] = Math.max(box[3], y + halfHeight);
  };
  const graph = svg('svg', { class: 'elle-graph', role: 'img', 'aria-label': label });
  const edges = svg('g', { class: 'elle-edges' });
  const nodes = svg('g', { class: 'elle-nodes' });
  graph.append(edges, nodes);
  for (const step of example.cycle) {
    const [px, py] = at[step.from];
    const [qx, qy] = at[step.to];
    const dx = qx - px;
    const dy = qy - py;
    const length = Math.hypot(dx, dy) || 1;
    // Bend each arrow to its left: outward on the circle, and the two arrows of a 2-cycle apart.
    const bend = length * (n === 2 ? 0.32 : 0.14);
    const nx = dy / length;
    const ny = -dx / length;
    const cx = (px + qx) / 2 + nx * bend;
    const cy = (py + qy) / 2 + ny * bend;
    const [sx, sy] = towards(px, py, cx, cy, NODE_RADIUS);
    const [ex, ey] = towards(qx, qy, cx, cy, NODE_RADIUS + 1);
    const color = EDGE_COLORS[step.kind] || '#6a7280';
    const why = example.txns[step.from].name + ' < ' + example.txns[step.to].name + ' (' + step.kind + '): ' + step.why;
    const group = svg('g', { class: 'elle-edge', 'data-kind': step.kind, 'data-from': example.txns[step.from].name, 'data-to': example.txns[step.to].name }, svg('title', {}, why));
    group.append(
      svg('path', { d: 'M' + f1(sx) + ' ' + f1(sy) + ' Q' + f1(cx) + ' ' + f1(cy) + ' ' + f1(ex) + ' ' + f1(ey), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': step.kind === 'rw' ? '6 4' : null }),
      svg('path', { d: arrowHead(ex, ey, ex - cx, ey - cy), fill: color }),
    );
    // The label sits just outside the curve's midpoint: far enough along the normal that its box clears the curve.
    const text = step.kind + (step.key !== null ? ' ' + shortLabel(step.key, 14) : '');
    const halfWidth = text.length * 3.4;
    const clear = 5 + Math.abs(nx) * halfWidth + Math.abs(ny) * 7;
    const mx = 0.25 * px + 0.5 * cx + 0.25 * qx + nx * clear;
    const my = 0.25 * py + 0.5 * cy + 0.25 * qy + ny * clear;
    cover(mx, my, halfWidth + 4, 12);
    group.append(svg('text', { class: 'elle-edge-label', x: f1(mx), y: f1(my + 4), 'text-anchor': 'middle', fill: color }, text));
    edges.append(group);
  }
  example.txns.forEach((t, i) => {
    const [x, y] = at[i];
    cover(x, y, NODE_RADIUS + 6, NODE_RADIUS + 6);
    const node = svg(
      'g',
      { class: 'elle-node' + (t.id >= 0 ? ' linked' : '') + (t.type === 'info' ? ' elle-info' : ''), 'data-txn': t.name, 'data-op': String(t.id), tabindex: t.id >= 0 ? 0 : null, role: t.id >= 0 ? 'button' : null, onclick: () => openTxn(t), onkeydown: (e) => (e.key === 'Enter' || e.key === ' ') && openTxn(t) },
      svg('title', {}, txnTitle(t)),
      svg('circle', { cx: f1(x), cy: f1(y), r: NODE_RADIUS }),
      svg('text', { x: f1(x), y: f1(y + 4), 'text-anchor': 'middle' }, t.name),
    );
    nodes.append(node);
  });
  const width = box[2] - box[0];
  const height = box[3] - box[1];
  graph.setAttribute('viewBox', [box[0], box[1], width, height].map(f1).join(' '));
  graph.setAttribute('width', f1(width));
  graph.setAttribute('height', f1(height));
  return graph;
}

function f1(v) {
  return v.toFixed(1);
}

/** The point `distance` from (x, y) in the direction of (tx, ty). */
function towards(x, y, tx, ty, distance) {
  const d = Math.hypot(tx - x, ty - y) || 1;
  return [x + ((tx - x) / d) * distance, y + ((ty - y) / d) * distance];
}

/** A filled triangle with its tip at (x, y), pointing along (dx, dy). */
function arrowHead(x, y, dx, dy) {
  const d = Math.hypot(dx, dy) || 1;
  const ux = dx / d;
  const uy = dy / d;
  const bx = x - ux * 10;
  const by = y - uy * 10;
  return 'M' + f1(x) + ' ' + f1(y) + ' L' + f1(bx - uy * 4.5) + ' ' + f1(by + ux * 4.5) + ' L' + f1(bx + uy * 4.5) + ' ' + f1(by - ux * 4.5) + ' Z';
}

function txnTable(txns) {
  return el(
    'table',
    { class: 'elle-txns' },
    el('tr', {}, el('th', {}, 'txn'), el('th', {}, 'process'), el('th', {}, 'type'), el('th', {}, 'index'), el('th', {}, 'micro-ops')),
    txns.map((t) => el('tr', {}, el('td', {}, txnButton(t)), el('td', {}, t.process), el('td', {}, t.type), el('td', {}, t.index >= 0 ? String(t.index) : '—'), el('td', {}, el('code', {}, t.ops)))),
  );
}

function factsLine(facts) {
  if (!facts.length) return null;
  return el('p', { class: 'elle-facts muted' }, facts.map(([name, text], i) => [i ? ' · ' : '', name + ': ', el('code', {}, text)]));
}

/**
 * The proof cut before each claim "Ta < Tb because", so each step reads on its
 * own line; the pieces joined are exactly the checker's text.
 */
function proofLines(text) {
  return text.split(/(?<=\. |; )(?=T\d+ < T\d+ because )/);
}

function cycleExample(type, example) {
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

function listExample(example) {
  return el(
    'li',
    { class: 'elle-example' },
    el('p', { class: 'elle-explanation' }, example.explanation),
    factsLine(example.facts),
    example.txns.length ? el('p', { class: 'elle-txn-links' }, 'Open: ', example.txns.map((t) => [txnButton(t), ' '])) : null,
  );
}

/** A class's heading at once; its examples (graphs and proofs) are built by `later`, after the first paint. */
function anomalyClassView(klass, vi, later) {
  const shown = klass.examples.length;
  const isCycle = klass.examples.some((x) => x.cycle !== null);
  const body = el('div', { class: 'elle-examples' });
  later.push(() =>
    body.append(
      ...(isCycle ? klass.examples.map((x) => (x.cycle !== null ? cycleExample(klass.type, x) : el('ul', { class: 'elle-list' }, listExample(x)))) : [el('ul', { class: 'elle-list' }, klass.examples.map(listExample))]),
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

function plural(n, word) {
  return formatCount(n) + ' ' + word + (n === 1 ? '' : 's');
}

function modelChips(names, cls) {
  return names.map((m) => el('span', { class: 'model-chip ' + cls }, m));
}

function elleView(view, vi, later) {
  const s = view.stats;
  const usedKinds = new Set(view.classes.flatMap((k) => k.examples.flatMap((x) => (x.cycle || []).map((e) => e.kind))));
  return el(
    'div',
    { class: 'elle-view', id: 'elle-' + vi },
    el('table', { class: 'meta' },
      el('tr', {}, el('th', {}, 'checked'), el('td', {}, modelChips(view.consistencyModels, ''), view.workload ? ' (' + view.workload + ')' : '')),
      s ? el('tr', {}, el('th', {}, 'transactions'), el('td', {}, formatCount(s.txns) + ' (' + formatCount(s.ok) + ' ok, ' + formatCount(s.info) + ' info, ' + formatCount(s.fail) + ' fail), ' + plural(s.edges, 'dependency edge') + ', ' + plural(s.sccs, 'strongly connected component') + (s.sccs ? ' (largest ' + formatCount(s.largestScc) + ' transactions)' : ''))) : null,
      el('tr', { class: 'elle-not' }, el('th', {}, 'ruled out'), el('td', {}, view.not.length ? [modelChips(view.not, 'ruled-out'), view.alsoNot.length ? [' and so ', modelChips(view.alsoNot, 'ruled-out-also')] : null] : el('span', { class: 'muted' }, 'nothing: no anomaly rules out a consistency model'))),
      el('tr', { class: 'elle-types' }, el('th', {}, 'anomalies'), el('td', {}, view.classes.length ? view.classes.map((k) => el('button', { class: 'anomaly-chip', onclick: () => document.getElementById('elle-' + vi + '-' + k.type).scrollIntoView({ block: 'start' }) }, k.type + ' (' + formatCount(k.count) + ')')) : el('span', { class: 'muted' }, 'none found'))),
    ),
    view.limits.map((l) => el('p', { class: 'muted' }, 'Note: ' + l)),
    s && s.timedOut ? el('p', { class: 'muted' }, 'The cycle search ran out of time: some anomaly classes may be missing (the models ruled out are exact).') : null,
    usedKinds.size ? el('p', { class: 'legend' }, [...usedKinds].map((k) => el('span', { class: 'key', title: EDGE_NAMES[k] || k }, el('i', { style: 'background:' + (EDGE_COLORS[k] || '#6a7280') }), k + ': ' + (EDGE_NAMES[k] || k))), el('span', { class: 'key' }, 'click a transaction to open its record')) : null,
    view.classes.map((k) => anomalyClassView(k, vi, later)),
  );
}

function elleSection() {
  if (!model.elle || !model.elle.length) return null;
  const later = [];
  const section = el('section', { id: 'elle' }, el('h2', {}, 'Transactional anomalies (Elle)'), model.elle.map((view, vi) => elleView(view, vi, later)));
  // Up to 8 explained examples per class over dozens of classes: draw them after
  // the verdicts and plots are on screen, one class per task.
  runAfterPaint(later, () => {
    section.dataset.built = 'true';
    window.__faultlineElleBuiltAt = performance.now();
  });
  return section;
}
