// An Elle cycle drawn as a small graph: the transactions on a circle, one
// labelled arrow per dependency, in the order of the proof.
import type { ElleEdgeView, ElleExampleView } from '../elle-view.ts';
import { svg } from './dom.ts';
import { openTxn, txnTitle } from './elle-txn.ts';

export const EDGE_COLORS: Record<string, string> = { ww: '#3a7bbf', wr: '#3b8f4e', rw: '#d03c3c', process: '#8e6cc0', realtime: '#b08a2e' };
export const EDGE_NAMES: Record<string, string> = { ww: 'write → write', wr: 'write → read', rw: 'read → later write (anti-dependency)', process: 'same process, in order', realtime: 'completed before it began' };
const NODE_RADIUS = 17;

/** An example that is a dependency cycle. */
export type CycleExample = ElleExampleView & { cycle: ElleEdgeView[] };

export function isCycle(example: ElleExampleView): example is CycleExample {
  return example.cycle !== null;
}

/** Shortens a label drawn inside the graph; the full text is in the edge's tooltip and the proof. */
function shortLabel(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The cycle on a circle: T1 first (at the top, or on the left for two), then clockwise in cycle order. */
export function cycleGraph(example: CycleExample, label: string): SVGSVGElement {
  const n = example.txns.length;
  const radius = n <= 2 ? 80 : Math.max(70, (n * (2 * NODE_RADIUS + 40)) / (2 * Math.PI));
  const start = n === 2 ? Math.PI : -Math.PI / 2;
  const at = example.txns.map((_, i) => {
    const a = start + (2 * Math.PI * i) / n;
    return [radius * Math.cos(a), radius * Math.sin(a)];
  });
  // The drawing's extent, grown as things are placed; the viewBox fits it at the end.
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const cover = (x: number, y: number, halfWidth: number, halfHeight: number) => {
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
      { class: 'elle-node' + (t.id >= 0 ? ' linked' : '') + (t.type === 'info' ? ' elle-info' : ''), 'data-txn': t.name, 'data-op': String(t.id), tabindex: t.id >= 0 ? 0 : null, role: t.id >= 0 ? 'button' : null, onclick: () => openTxn(t), onkeydown: (e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && openTxn(t) },
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

function f1(v: number): string {
  return v.toFixed(1);
}

/** The point `distance` from (x, y) in the direction of (tx, ty). */
function towards(x: number, y: number, tx: number, ty: number, distance: number): [number, number] {
  const d = Math.hypot(tx - x, ty - y) || 1;
  return [x + ((tx - x) / d) * distance, y + ((ty - y) / d) * distance];
}

/** A filled triangle with its tip at (x, y), pointing along (dx, dy). */
function arrowHead(x: number, y: number, dx: number, dy: number): string {
  const d = Math.hypot(dx, dy) || 1;
  const ux = dx / d;
  const uy = dy / d;
  const bx = x - ux * 10;
  const by = y - uy * 10;
  return 'M' + f1(x) + ' ' + f1(y) + ' L' + f1(bx - uy * 4.5) + ' ' + f1(by + ux * 4.5) + ' L' + f1(bx + uy * 4.5) + ' ' + f1(by - ux * 4.5) + ' Z';
}
