// The history timeline: one lane per process (the nemesis first), each op a
// bar from invoke to completion coloured by outcome. Virtualized both ways:
// only the lanes in the scrolled window are drawn, and ops narrower than a
// pixel are merged (the worst outcome wins), so a million ops draw quickly.
import { sizeCanvas } from './canvas.ts';
import { OUTCOME_COLORS, OUTCOME_NAMES } from './colors.ts';
import { describeOp } from './describe-op.ts';
import { el } from './dom.ts';
import { drawFaultBands } from './fault-bands.ts';
import { formatCount } from './format.ts';
import { lowerBound } from './lower-bound.ts';
import type { OpColumns } from './op-columns.ts';
import { timelineLanes, type Lane } from './timeline-lanes.ts';
import { PLOT_MARGIN, timeScale, type TimeScale } from './time-scale.ts';
import { state } from './view-state.ts';

const LANE_H = 16;
const TIMELINE_VIEW_H = 380;

export interface TimelineView {
  section: HTMLElement;
  draw(): void;
  /** The op under (x, y) in canvas pixels, -1 for none. */
  hit(x: number, y: number): number;
  /** Makes op `id` visible. */
  reveal(id: number): void;
}

export function timelineView(): TimelineView {
  const keySelect = el('select', { id: 'filter-key', title: 'only ops on this key' }, el('option', { value: '-1' }, 'all keys'));
  const fSelect = el('select', { id: 'filter-f', title: 'only ops of this function' }, el('option', { value: '-1' }, 'all functions'));
  const processInput = el('input', { id: 'filter-process', type: 'text', placeholder: 'processes: e.g. 0,3,10-12,nemesis', size: 28 });
  const typeBoxes = OUTCOME_NAMES.map((name, i) =>
    el('input', { type: 'checkbox', checked: true, id: 'filter-type-' + name, 'data-type': String(i) }),
  );
  const status = el('span', { class: 'muted', id: 'timeline-status' }, 'loading operations…');
  const canvas = el('canvas', { class: 'timeline-canvas', id: 'timeline-canvas' });
  const spacer = el('div', { class: 'timeline-spacer' });
  const scroller = el('div', { class: 'timeline-scroll' }, canvas, spacer);
  const tooltip = el('div', { class: 'tooltip', hidden: true });
  const section = el(
    'section',
    { id: 'timeline' },
    el('h2', {}, 'History timeline'),
    el(
      'div',
      { class: 'filters' },
      keySelect,
      fSelect,
      processInput,
      typeBoxes.map((box, i) => el('label', { class: 'type-filter' }, box, el('i', { style: 'background:' + OUTCOME_COLORS[i] }), OUTCOME_NAMES[i])),
      status,
    ),
    el('div', { class: 'plot-box' }, scroller, tooltip),
    el('p', { class: 'muted' }, 'One lane per worker: a process retired after an info op hands its lane to its successor ("p3 +2" = p3 and two later processes). Drag to zoom, double-click to reset, click an op to open its record.'),
  );

  let lanes: Lane[] = [];
  let visible: Lane[] = []; // lanes passing the filters
  let match = (_id: number) => true;
  let sx: TimeScale | null = null;

  function buildLanes(c: OpColumns) {
    lanes = timelineLanes(c);
    c.fNames.forEach((name, i) => fSelect.append(el('option', { value: String(i) }, name)));
    c.keys.slice(0, 5000).forEach((key, i) => keySelect.append(el('option', { value: String(i) }, key)));
  }

  /** "0,3,10-12,nemesis" -> those processes (-1: the nemesis); null when the text names none. */
  function parseProcesses(text: string): Set<number> | null {
    const wanted = new Set<number>();
    for (const part of text.split(/[\s,]+/).filter(Boolean)) {
      if (part === 'nemesis') wanted.add(-1);
      const range = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (range) for (let p = +range[1]; p <= +(range[2] || range[1]) && p - +range[1] < 100000; p++) wanted.add(p);
    }
    return wanted.size ? wanted : null;
  }

  function applyFilters() {
    const c = state.columns;
    if (!c) return;
    const key = +keySelect.value;
    const f = +fSelect.value;
    const types = typeBoxes.map((b) => b.checked);
    const processes = parseProcesses(processInput.value);
    match = (i) => types[c.type[i]] && (f < 0 || c.f[i] === f) && (key < 0 || c.key[i] === key) && (!processes || processes.has(c.process[i]));
    visible = lanes.filter((lane) => lane.ids.some(match));
    let shown = 0;
    for (const lane of visible) for (const i of lane.ids) if (match(i)) shown++;
    status.textContent = formatCount(shown) + ' ops in ' + formatCount(visible.length) + ' lanes';
    spacer.style.height = visible.length * LANE_H + 'px';
    draw();
  }

  function draw() {
    const c = state.columns;
    const width = scroller.clientWidth || 800;
    const height = Math.min(TIMELINE_VIEW_H, Math.max(LANE_H * 2, visible.length * LANE_H + 20));
    scroller.style.height = height + 'px';
    const ctx = sizeCanvas(canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    const [t0, t1] = state.range;
    const innerW = width - PLOT_MARGIN.left - PLOT_MARGIN.right;
    sx = timeScale(t0, t1, innerW);
    drawFaultBands(ctx, sx, 0, height, false);
    if (!c) return;
    const first = Math.floor(scroller.scrollTop / LANE_H);
    const offset = scroller.scrollTop - first * LANE_H;
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let row = first; row < visible.length && (row - first) * LANE_H - offset < height; row++) {
      const lane = visible[row];
      const y = (row - first) * LANE_H - offset;
      ctx.fillStyle = row % 2 ? 'rgba(0,0,0,0.025)' : 'rgba(0,0,0,0)';
      ctx.fillRect(0, y, width, LANE_H);
      ctx.fillStyle = '#555';
      ctx.textAlign = 'right';
      ctx.fillText(lane.label, PLOT_MARGIN.left - 6, y + LANE_H / 2);
      ctx.save();
      ctx.beginPath();
      ctx.rect(PLOT_MARGIN.left, y, innerW, LANE_H);
      ctx.clip();
      drawLane(ctx, c, sx, lane, y + 2, t0, t1);
      ctx.restore();
    }
  }

  function drawLane(ctx: CanvasRenderingContext2D, c: OpColumns, sx: TimeScale, lane: Lane, y: number, t0: number, t1: number) {
    const ids = lane.ids;
    const h = LANE_H - 4;
    // Ops narrower than a pixel are pooled per pixel column: the column is
    // green if any op in it was ok, with a red tick on top if one failed and
    // an amber tick below if one was info, so density and every failure show.
    let px = -1;
    let seen = 0; // bit per outcome in the current pixel column
    const flush = () => {
      if (px < 0 || !seen) return;
      ctx.fillStyle = OUTCOME_COLORS[seen & 1 ? 0 : seen & 2 ? 1 : 2];
      ctx.fillRect(px, y, 1, h);
      if (seen & 1 && seen & 2) {
        ctx.fillStyle = OUTCOME_COLORS[1];
        ctx.fillRect(px, y, 1, 4);
      }
      if (seen & 4 && seen & 3) {
        ctx.fillStyle = OUTCOME_COLORS[2];
        ctx.fillRect(px, y + h - 3, 1, 3);
      }
      seen = 0;
    };
    // A process runs one op at a time and a lane's processes follow each other, so ends ascend along a lane.
    for (let k = lowerBound(ids.length, (j) => c.end[ids[j]] >= t0); k < ids.length; k++) {
      const i = ids[k];
      if (c.start[i] > t1) break;
      if (!match(i)) continue;
      const x0 = sx(c.start[i]);
      const w = sx(c.end[i]) - x0;
      if (w < 1) {
        const column = Math.floor(x0);
        if (column !== px) {
          flush();
          px = column;
        }
        seen |= 1 << c.type[i];
      } else {
        flush();
        px = -1;
        ctx.fillStyle = OUTCOME_COLORS[c.type[i]];
        ctx.fillRect(x0, y, w, h);
      }
      if (i === state.selected) {
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 - 2, y - 1, Math.max(1, w) + 4, LANE_H - 2);
      }
    }
    flush();
  }

  /** The op under (x, y), with a few pixels of slack for thin bars. */
  function hit(x: number, y: number): number {
    const c = state.columns;
    if (!c || !sx || x < PLOT_MARGIN.left) return -1;
    const lane = visible[Math.floor((y + scroller.scrollTop) / LANE_H)];
    if (!lane) return -1;
    const slack = sx.invert(x + 3) - sx.invert(x);
    const t = sx.invert(x);
    const ids = lane.ids;
    for (let k = lowerBound(ids.length, (j) => c.end[ids[j]] >= t - slack); k < ids.length && c.start[ids[k]] <= t + slack; k++) {
      if (match(ids[k])) return ids[k];
    }
    return -1;
  }

  /** Makes op `id` visible: its lane scrolled into view, the range widened around it if needed. */
  function reveal(id: number): void {
    const c = state.columns;
    if (!c || id < 0 || id >= c.n) return;
    const row = visible.findIndex((lane) => lane.processes.has(c.process[id]) && match(id));
    if (row < 0) {
      keySelect.value = fSelect.value = '-1';
      processInput.value = '';
      typeBoxes.forEach((b) => (b.checked = true));
      applyFilters();
      return reveal(id);
    }
    const top = row * LANE_H;
    if (top < scroller.scrollTop || top > scroller.scrollTop + scroller.clientHeight - LANE_H) scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 2);
    const [t0, t1] = state.range;
    if (c.start[id] < t0 || c.end[id] > t1) {
      const pad = Math.max((c.end[id] - c.start[id]) * 2, (t1 - t0) / 4, 50);
      state.setRange(c.start[id] - pad, c.end[id] + pad);
    }
  }

  let dragFrom: number | null = null;
  const localX = (e: MouseEvent) => e.clientX - canvas.getBoundingClientRect().left;
  canvas.addEventListener('mousedown', (e) => {
    dragFrom = localX(e);
    e.preventDefault();
  });
  window.addEventListener('mouseup', (e) => {
    if (dragFrom === null) return;
    const x = localX(e);
    const from = dragFrom;
    dragFrom = null;
    if (Math.abs(x - from) > 4 && sx) state.setRange(sx.invert(Math.min(x, from)), sx.invert(Math.max(x, from)));
    else {
      const id = hit(x, e.clientY - canvas.getBoundingClientRect().top);
      if (id >= 0) state.select(id);
    }
  });
  canvas.addEventListener('dblclick', () => state.resetRange());
  canvas.addEventListener('mousemove', (e) => {
    const x = localX(e);
    const y = e.clientY - canvas.getBoundingClientRect().top;
    const id = hit(x, y);
    tooltip.hidden = id < 0;
    canvas.style.cursor = id >= 0 ? 'pointer' : 'crosshair';
    if (id >= 0) {
      tooltip.textContent = describeOp(id);
      tooltip.style.left = Math.min(x + 12, canvas.clientWidth - 260) + 'px';
      tooltip.style.top = y + 14 + 'px';
    }
  });
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  scroller.addEventListener('scroll', () => requestAnimationFrame(draw));
  const filters: HTMLElement[] = [keySelect, fSelect, ...typeBoxes];
  for (const input of filters) input.addEventListener('change', applyFilters);
  processInput.addEventListener('input', applyFilters);
  state.on('range', draw);
  state.on('select', () => {
    reveal(state.selected);
    draw();
  });
  state.on('columns', () => {
    buildLanes(state.columns!);
    applyFilters();
    if (state.selected >= 0) reveal(state.selected);
  });
  return { section, draw, hit, reveal };
}
