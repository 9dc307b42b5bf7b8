// The history timeline: one lane per process (the nemesis first), each op a
// bar from invoke to completion coloured by outcome. Virtualized both ways:
// only the lanes in the scrolled window are drawn, and ops narrower than a
// pixel are merged (the worst outcome wins), so a million ops draw quickly.

const LANE_H = 16;
const TIMELINE_VIEW_H = 380;
const OUTCOME_RANK = [0, 2, 1]; // ok < info < fail: what a merged pixel shows

function timelineView() {
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
    el('p', { class: 'muted' }, 'One lane per process. Drag to zoom, double-click to reset, click an op to open its record.'),
  );

  let lanes = []; // [{ process, ids: Int32Array }]
  let visible = []; // lanes passing the filters
  let match = () => true;
  let sx = null;

  function buildLanes(c) {
    const byProcess = new Map();
    for (let i = 0; i < c.n; i++) {
      const p = c.process[i];
      byProcess.set(p, (byProcess.get(p) || 0) + 1);
    }
    const order = [...byProcess.keys()].sort((a, b) => a - b);
    const fill = new Map(order.map((p) => [p, { process: p, ids: new Int32Array(byProcess.get(p)), n: 0 }]));
    for (let i = 0; i < c.n; i++) {
      const lane = fill.get(c.process[i]);
      lane.ids[lane.n++] = i;
    }
    lanes = order.map((p) => fill.get(p));
    c.fNames.forEach((name, i) => fSelect.append(el('option', { value: String(i) }, name)));
    c.keys.slice(0, 5000).forEach((key, i) => keySelect.append(el('option', { value: String(i) }, key)));
  }

  function parseProcesses(text) {
    const wanted = new Set();
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
    match = (i) => types[c.type[i]] && (f < 0 || c.f[i] === f) && (key < 0 || c.key[i] === key);
    const processes = parseProcesses(processInput.value);
    visible = lanes.filter((lane) => (!processes || processes.has(lane.process)) && lane.ids.some(match));
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
    sx = (t) => PLOT_MARGIN.left + ((t - t0) / (t1 - t0)) * innerW;
    sx.invert = (x) => t0 + ((x - PLOT_MARGIN.left) / innerW) * (t1 - t0);
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
      ctx.fillText(lane.process === -1 ? 'nemesis' : 'p' + lane.process, PLOT_MARGIN.left - 6, y + LANE_H / 2);
      ctx.save();
      ctx.beginPath();
      ctx.rect(PLOT_MARGIN.left, y, innerW, LANE_H);
      ctx.clip();
      drawLane(ctx, c, lane, y + 2, t0, t1);
      ctx.restore();
    }
  }

  function drawLane(ctx, c, lane, y, t0, t1) {
    const ids = lane.ids;
    // A process runs one op at a time, so ends are ascending along a lane.
    let k = lowerBound(ids.length, (j) => c.end[ids[j]] >= t0);
    let lastPx = -1;
    let lastRank = -1;
    for (; k < ids.length; k++) {
      const i = ids[k];
      if (c.start[i] > t1) break;
      if (!match(i)) continue;
      const x0 = sx(c.start[i]);
      const w = sx(c.end[i]) - x0;
      const px = Math.floor(x0);
      const rank = OUTCOME_RANK[c.type[i]];
      if (w < 1 && px === lastPx && rank <= lastRank) continue;
      lastPx = px;
      lastRank = rank;
      ctx.fillStyle = OUTCOME_COLORS[c.type[i]];
      ctx.fillRect(x0, y, Math.max(1, w), LANE_H - 4);
      if (i === state.selected) {
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 - 2, y - 1, Math.max(1, w) + 4, LANE_H - 2);
      }
    }
  }

  /** The op under (x, y), with a few pixels of slack for thin bars. */
  function hit(x, y) {
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
  function reveal(id) {
    const c = state.columns;
    if (!c || id < 0 || id >= c.n) return;
    const row = visible.findIndex((lane) => lane.process === c.process[id]);
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

  let dragFrom = null;
  const localX = (e) => e.clientX - canvas.getBoundingClientRect().left;
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
  for (const input of [keySelect, fSelect, ...typeBoxes]) input.addEventListener('change', applyFilters);
  processInput.addEventListener('input', applyFilters);
  state.on('range', draw);
  state.on('select', () => {
    reveal(state.selected);
    draw();
  });
  state.on('columns', () => {
    buildLanes(state.columns);
    applyFilters();
    if (state.selected >= 0) reveal(state.selected);
  });
  return { section, draw, hit, reveal };
}
