// Time plots on canvas (no chart library: four plot kinds sharing one x range
// and one set of fault bands are less code than adapting a library, and canvas
// draws tens of thousands of points where SVG would crawl).
// Every plot: fault bands behind the data, drag to zoom (all plots and the
// timeline follow), double-click or "reset zoom" to see the whole run, hover
// for a tooltip, click a point to open that op.

const PLOT_MARGIN = { left: 64, right: 14, top: 10, bottom: 24 };
const plots = [];

/**
 * opts: { id, title, height, yLog, yLabel, legend: [[label, color]], yExtent() -> [lo, hi],
 *         draw(ctx, sx, sy, range), hit(x, y) -> { text, id } | null }
 */
function timePlot(opts) {
  const canvas = el('canvas', { class: 'plot-canvas', 'data-plot': opts.id });
  const brush = el('div', { class: 'brush', hidden: true });
  const tooltip = el('div', { class: 'tooltip', hidden: true });
  const legend = el('span', { class: 'legend' }, (opts.legend || []).map(([label, color]) => el('span', { class: 'key' }, el('i', { style: 'background:' + color }), label)));
  const box = el('div', { class: 'plot-box' }, canvas, brush, tooltip);
  const section = el('div', { class: 'plot', id: 'plot-' + opts.id }, el('div', { class: 'plot-title' }, el('b', {}, opts.title), legend), box);
  const plot = { opts, canvas, section, sx: null, sy: null, width: 0 };

  plot.draw = function () {
    const width = box.clientWidth || 800;
    plot.width = width;
    const height = opts.height;
    const ctx = sizeCanvas(canvas, width, height);
    const [t0, t1] = state.range;
    const innerW = width - PLOT_MARGIN.left - PLOT_MARGIN.right;
    const innerH = height - PLOT_MARGIN.top - PLOT_MARGIN.bottom;
    const sx = (t) => PLOT_MARGIN.left + ((t - t0) / (t1 - t0)) * innerW;
    sx.invert = (x) => t0 + ((x - PLOT_MARGIN.left) / innerW) * (t1 - t0);
    let [y0, y1] = opts.yExtent();
    if (opts.yLog) {
      y0 = Math.log10(Math.max(y0, 1e-3));
      y1 = Math.log10(Math.max(y1, Math.pow(10, y0 + 1)));
    }
    if (!(y1 > y0)) y1 = y0 + 1;
    const sy = (v) => {
      const y = opts.yLog ? Math.log10(Math.max(v, 1e-3)) : v;
      return PLOT_MARGIN.top + innerH - ((y - y0) / (y1 - y0)) * innerH;
    };
    plot.sx = sx;
    plot.sy = sy;
    ctx.clearRect(0, 0, width, height);
    drawFaultBands(ctx, sx, PLOT_MARGIN.top, innerH, opts.id === 'faults');
    drawAxes(ctx, sx, t0, t1, y0, y1, opts, width, height, innerH);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PLOT_MARGIN.left, PLOT_MARGIN.top - 2, innerW, innerH + 4);
    ctx.clip();
    opts.draw(ctx, sx, sy, state.range);
    ctx.restore();
  };

  let dragFrom = null;
  const localX = (e) => e.clientX - canvas.getBoundingClientRect().left;
  const localY = (e) => e.clientY - canvas.getBoundingClientRect().top;
  canvas.addEventListener('mousedown', (e) => {
    dragFrom = localX(e);
    e.preventDefault();
  });
  window.addEventListener('mousemove', (e) => {
    if (dragFrom === null) return;
    const x = localX(e);
    brush.hidden = false;
    brush.style.left = Math.min(x, dragFrom) + 'px';
    brush.style.width = Math.abs(x - dragFrom) + 'px';
  });
  window.addEventListener('mouseup', (e) => {
    if (dragFrom === null) return;
    const x = localX(e);
    const from = dragFrom;
    dragFrom = null;
    brush.hidden = true;
    if (Math.abs(x - from) > 4 && plot.sx) state.setRange(plot.sx.invert(Math.min(x, from)), plot.sx.invert(Math.max(x, from)));
    else if (opts.hit) {
      const hit = opts.hit(x, localY(e));
      if (hit && hit.id >= 0) state.select(hit.id);
    }
  });
  canvas.addEventListener('dblclick', () => state.resetRange());
  canvas.addEventListener('mousemove', (e) => {
    if (dragFrom !== null || !opts.hit || !plot.sx) return;
    const x = localX(e);
    const y = localY(e);
    const hit = opts.hit(x, y);
    tooltip.hidden = !hit;
    if (hit) {
      tooltip.textContent = hit.text;
      tooltip.style.left = Math.min(x + 12, plot.width - 260) + 'px';
      tooltip.style.top = y + 12 + 'px';
    }
    canvas.style.cursor = hit && hit.id >= 0 ? 'pointer' : 'crosshair';
  });
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  plots.push(plot);
  return plot;
}

/** Every fault interval as a translucent band (the fault strip itself draws bars instead). */
function drawFaultBands(ctx, sx, top, innerH, barsOnly) {
  const right = sx(state.range[1]);
  for (const f of barsOnly ? [] : model.faults) {
    const x0 = Math.max(PLOT_MARGIN.left, sx(f.start));
    const x1 = Math.min(right, sx(f.end));
    if (x1 < PLOT_MARGIN.left || x0 > right) continue;
    ctx.fillStyle = faultColor(f.fault);
    ctx.globalAlpha = 0.13;
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), innerH);
    ctx.globalAlpha = 1;
  }
  for (const e of model.events) {
    const x = sx(e.time);
    if (x < PLOT_MARGIN.left || x > sx(state.range[1])) continue;
    ctx.strokeStyle = '#888';
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + innerH);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function drawAxes(ctx, sx, t0, t1, y0, y1, opts, width, height, innerH) {
  ctx.strokeStyle = '#bbb';
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(PLOT_MARGIN.left, PLOT_MARGIN.top + innerH + 0.5);
  ctx.lineTo(width - PLOT_MARGIN.right, PLOT_MARGIN.top + innerH + 0.5);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const unit = t1 - t0 > 5000 ? 1000 : 1;
  for (const t of niceTicks(t0 / unit, t1 / unit, Math.max(2, Math.floor(width / 110)))) {
    const x = sx(t * unit);
    ctx.fillText(t + (unit === 1000 ? ' s' : ' ms'), x, PLOT_MARGIN.top + innerH + 5);
  }
  if (opts.id === 'faults') return;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ticks = opts.yLog ? niceLogTicks(y0, y1) : niceTicks(y0, y1, 4);
  for (const v of ticks) {
    const y = PLOT_MARGIN.top + innerH - ((opts.yLog ? Math.log10(v) : v) - y0) / (y1 - y0) * innerH;
    ctx.fillText(opts.yLog ? formatDuration(v) : String(v), PLOT_MARGIN.left - 6, y);
    ctx.strokeStyle = '#eee';
    ctx.beginPath();
    ctx.moveTo(PLOT_MARGIN.left, Math.round(y) + 0.5);
    ctx.lineTo(width - PLOT_MARGIN.right, Math.round(y) + 0.5);
    ctx.stroke();
  }
  ctx.save();
  ctx.translate(12, PLOT_MARGIN.top + innerH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(opts.yLabel || '', 0, 0);
  ctx.restore();
}

function niceLogTicks(lo, hi) {
  const ticks = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) ticks.push(Math.pow(10, e));
  return ticks.length ? ticks : [Math.pow(10, lo)];
}

function drawLine(ctx, sx, sy, ts, vs, color, width) {
  ctx.strokeStyle = ctx.fillStyle = color;
  ctx.lineWidth = width || 1.5;
  ctx.beginPath();
  let run = 0; // points in the current unbroken segment
  const dotIfAlone = (i) => {
    // A bucket with empty neighbours has no line to be part of: draw it as a dot.
    if (run === 1) ctx.fillRect(sx(ts[i]) - 2, sy(vs[i]) - 2, 4, 4);
  };
  for (let i = 0; i < ts.length; i++) {
    if (vs[i] === null || vs[i] === undefined) {
      dotIfAlone(i - 1);
      run = 0;
      continue;
    }
    const x = sx(ts[i]);
    const y = sy(vs[i]);
    if (run > 0) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    run++;
  }
  dotIfAlone(ts.length - 1);
  ctx.stroke();
}

/** The fault strip: one row per fault kind, each interval a labelled bar; hover says what and where. */
function faultPlot() {
  const kinds = [...new Set(model.faults.map((f) => f.fault))];
  const rowH = 18;
  let bars = [];
  return timePlot({
    id: 'faults',
    title: 'Faults (' + model.faults.length + ')',
    height: PLOT_MARGIN.top + PLOT_MARGIN.bottom + Math.max(1, kinds.length) * rowH + 4,
    legend: kinds.map((k) => [k, faultColor(k)]),
    yExtent: () => [0, 1],
    draw(ctx, sx) {
      bars = [];
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      model.faults.forEach((f, i) => {
        const y = PLOT_MARGIN.top + kinds.indexOf(f.fault) * rowH + 2;
        const x0 = sx(f.start);
        const x1 = Math.max(x0 + 2, sx(f.end));
        ctx.fillStyle = faultColor(f.fault);
        ctx.globalAlpha = f.healed ? 0.75 : 0.4;
        ctx.fillRect(x0, y, x1 - x0, rowH - 4);
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#fff';
        if (x1 - x0 > 40) ctx.fillText((f.nodes.join(' ') || f.fault).slice(0, Math.floor((x1 - x0) / 6)), x0 + 3, y + (rowH - 4) / 2);
        bars.push({ x0, x1, y, i });
      });
      if (!model.faults.length) {
        ctx.fillStyle = '#777';
        ctx.fillText('no faults were injected in this run', PLOT_MARGIN.left + 8, PLOT_MARGIN.top + rowH / 2);
      }
    },
    hit(x, y) {
      const bar = bars.find((b) => x >= b.x0 - 2 && x <= b.x1 + 2 && y >= b.y && y <= b.y + rowH);
      if (!bar) return null;
      return { id: -1, text: describeFault(model.faults[bar.i]) };
    },
  });
}

function describeFault(f) {
  return (
    f.fault + (f.nodes.length ? ' on ' + f.nodes.join(', ') : '') + (f.description ? ' — ' + f.description : '') +
    '\nfrom ' + formatDuration(f.start) + ' to ' + (f.healed ? formatDuration(f.end) : 'the end (never healed)') +
    ' (' + formatDuration(f.end - f.start) + ')'
  );
}

function throughputPlot() {
  const tp = model.throughput;
  const max = Math.max(1, ...tp.ok, ...tp.fail, ...tp.info);
  const mid = (i) => tp.t[i] + tp.bucketMs / 2;
  const mids = tp.t.map((_, i) => mid(i));
  let sx = null;
  return timePlot({
    id: 'throughput',
    title: 'Throughput (completions/s per ' + formatDuration(tp.bucketMs) + ' bucket)',
    height: 170,
    yLabel: 'ops/s',
    legend: OUTCOME_NAMES.map((name, i) => [name, OUTCOME_COLORS[i]]),
    yExtent: () => [0, max * 1.05],
    draw(ctx, scaleX, sy) {
      sx = scaleX;
      OUTCOME_NAMES.forEach((name, i) => drawLine(ctx, sx, sy, mids, tp[name], OUTCOME_COLORS[i]));
    },
    hit(x) {
      if (!sx) return null;
      const i = Math.floor(sx.invert(x) / tp.bucketMs);
      if (i < 0 || i >= tp.t.length) return null;
      return { id: -1, text: formatDuration(tp.t[i]) + ' +' + formatDuration(tp.bucketMs) + ': ok ' + tp.ok[i] + '/s, fail ' + tp.fail[i] + '/s, info ' + tp.info[i] + '/s' };
    },
  });
}

/** Ops drawn as points: every op when the zoomed range holds few enough, else the embedded downsample. */
const FULL_POINTS_LIMIT = 40000;

function latencyScatterPlot() {
  const sc = model.scatter;
  let maxLatency = 1;
  let minLatency = Infinity;
  for (const v of sc.latency) {
    if (v > maxLatency) maxLatency = v;
    if (v > 0 && v < minLatency) minLatency = v;
  }
  if (!isFinite(minLatency)) minLatency = 0.01;
  const maxCount = sc.count.reduce((a, b) => (b > a ? b : a), 1);
  let drawn = { x: [], y: [], id: [] };
  const note = el('span', { class: 'muted', id: 'scatter-note' });
  const plot = timePlot({
    id: 'latency',
    title: 'Latency of each op (log scale, by invoke time)',
    height: 230,
    yLog: true,
    yLabel: 'latency',
    legend: OUTCOME_NAMES.map((name, i) => [name, OUTCOME_COLORS[i]]),
    yExtent: () => [minLatency * 0.8, maxLatency * 1.2],
    draw(ctx, sx, sy, range) {
      drawn = { x: [], y: [], id: [] };
      const put = (t, latency, type, id, alpha) => {
        const x = sx(t);
        const y = sy(Math.max(latency, minLatency * 0.8));
        ctx.fillStyle = OUTCOME_COLORS[type];
        ctx.globalAlpha = alpha;
        ctx.fillRect(x - 1, y - 1, 2.5, 2.5);
        drawn.x.push(x);
        drawn.y.push(y);
        drawn.id.push(id);
      };
      const cols = state.columns;
      let from = 0;
      let to = 0;
      if (cols) {
        from = lowerBound(cols.n, (i) => cols.start[i] >= range[0]);
        to = lowerBound(cols.n, (i) => cols.start[i] > range[1]);
      }
      // Draw fails and infos last so ok points never hide them.
      if (cols && to - from <= FULL_POINTS_LIMIT) {
        for (const pass of [0, 2, 1])
          for (let i = from; i < to; i++) if (cols.process[i] !== -1 && cols.type[i] === pass) put(cols.start[i], cols.end[i] - cols.start[i], pass, i, 1);
        note.textContent = 'every op in range shown (' + formatCount(drawn.id.length) + ')';
      } else {
        // A downsampled point stands for `count` ops: its opacity says how many,
        // so a lone failure shows without painting the plot the failure colour.
        const logMax = Math.log1p(maxCount);
        for (const pass of [0, 2, 1])
          for (let i = 0; i < sc.id.length; i++)
            if (sc.type[i] === pass && sc.t[i] >= range[0] && sc.t[i] <= range[1]) put(sc.t[i], sc.latency[i], pass, sc.id[i], 0.3 + (0.7 * Math.log1p(sc.count[i])) / logMax);
        note.textContent = sc.downsampled
          ? 'downsampled: ' + formatCount(sc.id.length) + ' of ' + formatCount(sc.total) + ' ops (the slowest per cell, opacity = ops in the cell); zoom in to see every op'
          : '';
      }
      ctx.globalAlpha = 1;
    },
    hit(x, y) {
      let best = -1;
      let bestD = 36;
      for (let i = 0; i < drawn.x.length; i++) {
        const d = (drawn.x[i] - x) ** 2 + (drawn.y[i] - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      return best < 0 ? null : { id: drawn.id[best], text: describeOp(drawn.id[best]) + '\n(click to open)' };
    },
  });
  plot.section.querySelector('.plot-title').append(note);
  return plot;
}

function quantilePlot() {
  const q = model.latency;
  const mids = q.t.map((t) => t + q.bucketMs / 2);
  const values = [].concat(q.p50, q.max).filter((v) => v !== null && v > 0);
  const lo = values.length ? Math.min(...values) : 0.1;
  const hi = values.length ? Math.max(...values) : 1;
  const series = [['p50', '#2f6db5'], ['p95', '#7a52b3'], ['p99', '#c2588f'], ['max', '#999']];
  let sx = null;
  return timePlot({
    id: 'quantiles',
    title: 'Latency quantiles per ' + formatDuration(q.bucketMs) + ' bucket (ok and fail ops)',
    height: 190,
    yLog: true,
    yLabel: 'latency',
    legend: series,
    yExtent: () => [lo * 0.8, hi * 1.2],
    draw(ctx, scaleX, sy) {
      sx = scaleX;
      for (const [name, color] of series) drawLine(ctx, sx, sy, mids, q[name], color, name === 'max' ? 1 : 1.5);
    },
    hit(x) {
      if (!sx) return null;
      const i = Math.floor(sx.invert(x) / q.bucketMs);
      if (i < 0 || i >= q.t.length || !q.count[i]) return null;
      return {
        id: -1,
        text: formatDuration(q.t[i]) + ': ' + q.count[i] + ' ops, p50 ' + formatDuration(q.p50[i]) + ', p95 ' + formatDuration(q.p95[i]) +
          ', p99 ' + formatDuration(q.p99[i]) + ', max ' + formatDuration(q.max[i]),
      };
    },
  });
}

/** One line about an op from the columns (or the scatter sample before they load). */
function describeOp(id) {
  const c = state.columns;
  if (c && id >= 0 && id < c.n) {
    const key = c.key[id] >= 0 ? ' key ' + c.keys[c.key[id]] : '';
    const proc = c.process[id] === -1 ? 'nemesis' : 'process ' + c.process[id];
    return 'op #' + id + ': ' + c.fNames[c.f[id]] + key + ', ' + proc + ', ' + OUTCOME_NAMES[c.type[id]] + ', ' + formatDuration(c.end[id] - c.start[id]) + ' at ' + formatDuration(c.start[id]);
  }
  return 'op #' + id;
}

function redrawPlots() {
  for (const p of plots) p.draw();
}
