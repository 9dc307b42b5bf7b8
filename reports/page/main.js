// Lays the report out: verdicts first (what failed, when, under which fault),
// then the plots, the counterexample, the timeline, the selected op, the logs.

function faultsAt(t) {
  return model.faults.filter((f) => f.start <= t && t <= f.end);
}

function verdictBanner(result, index) {
  const word = verdictWord(result.valid);
  const banner = el('div', { class: 'banner verdict-' + word, 'data-checker': result.checker, 'data-verdict': word },
    el('span', { class: 'verdict-word' }, word.toUpperCase()),
    el('b', {}, result.checker),
    el('span', { class: 'verdict-summary' }, result.summary || ''),
  );
  const view = checkerSectionOf(result, index);
  if (view) banner.append(el('button', { class: 'show-view', 'data-show': view.id, onclick: () => document.getElementById(view.id).scrollIntoView({ block: 'start' }) }, view.label));
  const cx = model.counterexamples.find((c) => c.checker === result.checker && c.firstError >= 0);
  if (result.valid === false && cx) {
    const op = cx.ops.find((o) => o.id === cx.firstError);
    if (op) {
      const active = faultsAt(op.start);
      banner.append(
        el('div', { class: 'banner-detail' },
          'First error at ', el('b', {}, formatDuration(op.start)), ': ', el('code', {}, op.description), ' by p' + op.process,
          active.length ? el('span', {}, ', during ', active.map((f) => f.fault + (f.nodes.length ? ' (' + f.nodes.join(' ') + ')' : '')).join(', ')) : ', with no fault active',
          ' ',
          el('button', { id: 'jump-first-error', class: 'jump', onclick: () => jumpTo(cx.firstError) }, 'Jump to first error'),
        ),
      );
    }
  }
  return banner;
}

/** The drawn view of a checker result (Elle anomalies, divergence table), if the page has one. */
function checkerSectionOf(result, index) {
  const elle = (model.elle || []).findIndex((v) => v.resultIndex === index);
  if (elle >= 0) return { id: 'elle-' + elle, label: 'Show anomalies' };
  const divergence = (model.divergence || []).findIndex((v) => v.resultIndex === index);
  if (divergence >= 0) return { id: 'divergence-' + divergence, label: 'Show state hashes' };
  return null;
}

function jumpTo(id) {
  state.select(id);
  const cx = document.querySelector('.cx-op[data-op="' + id + '"]');
  document.getElementById('record').scrollIntoView({ block: 'start' });
  if (cx) cx.classList.add('cx-focus');
}

function metaSection() {
  const t = model.test;
  const c = model.counts;
  const rows = [
    ['command', t.command ? el('code', { id: 'reproduce' }, t.command) : el('span', { class: 'muted' }, 'not recorded')],
    ['seed', t.seed !== undefined ? String(t.seed) : '—'],
    ['started', t.startTime !== undefined ? String(typeof t.startTime === 'number' ? new Date(t.startTime).toISOString() : t.startTime) : '—'],
    ['versions', Object.entries(t.versions || {}).map(([k, v]) => k + ' ' + v).join(', ') || '—'],
    ['operations', formatCount(c.clientOps) + ' client ops (' + formatCount(c.ok) + ' ok, ' + formatCount(c.fail) + ' fail, ' + formatCount(c.info) + ' info) by ' + formatCount(c.processes) + ' processes over ' + formatDuration(c.durationMs)],
    ['faults', formatCount(c.faults) + ' intervals'],
    ['options', el('code', {}, JSON.stringify(t.options || {}))],
    ['run folder', el('code', {}, model.runDir)],
  ];
  if (c.malformedLines || c.orphanCompletions) rows.push(['warnings', formatCount(c.malformedLines) + ' unreadable history lines, ' + formatCount(c.orphanCompletions) + ' completions without an invoke']);
  return el('section', { id: 'meta' }, el('table', { class: 'meta' }, rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
}

function plotsSection() {
  const rangeLabel = el('span', { id: 'range-label', class: 'muted' });
  const reset = el('button', { id: 'reset-zoom', onclick: () => state.resetRange() }, 'reset zoom');
  const update = () => (rangeLabel.textContent = 'showing ' + formatDuration(state.range[0]) + ' – ' + formatDuration(state.range[1]) + ' (drag on any plot to zoom)');
  state.on('range', update);
  update();
  const section = el('section', { id: 'plots' }, el('h2', {}, 'Faults, throughput and latency'), el('div', { class: 'toolbar' }, reset, rangeLabel));
  for (const plot of [faultPlot(), throughputPlot(), latencyScatterPlot(), quantilePlot()]) section.append(plot.section);
  return section;
}

function logsSection() {
  const { files, excerpts } = model.logs;
  if (!files.length) return el('section', { id: 'logs' }, el('h2', {}, 'Node logs'), el('p', { class: 'muted' }, 'No node logs in this run folder.'));
  return el(
    'section',
    { id: 'logs' },
    el('h2', {}, 'Node logs'),
    el('p', {}, 'Full files: ', files.map((f) => el('span', { class: 'file' }, fileLink(f.path), ' (' + formatCount(f.bytes) + ' bytes)'))),
    excerpts.length ? null : el('p', { class: 'muted' }, 'No excerpts: the logs have no timestamps near a fault, or test.json has no startTime.'),
    excerpts.map((x) => {
      const f = model.faults[x.fault];
      return el('details', { class: 'excerpt', open: excerpts.length <= 6 },
        el('summary', {}, f.fault + ' at ' + formatDuration(f.start) + (f.nodes.length ? ' on ' + f.nodes.join(' ') : '') + ' — ' + x.node + ': ', fileLink(x.file)),
        el('pre', {}, x.lines.map((l) => el('span', { class: 'log-line' }, el('span', { class: 'line-no' }, String(l.n)), l.text + '\n'))),
      );
    }),
  );
}

function detailsSection() {
  return el('section', { id: 'checker-details' }, el('h2', {}, 'Checker results'),
    model.results.checkers.map((r) => el('details', {}, el('summary', {}, r.checker + ': ' + verdictWord(r.valid)), el('pre', {}, prettyJson(r.details === undefined ? r : r.details)))),
  );
}

function render() {
  const app = document.getElementById('app');
  app.textContent = '';
  const overall = verdictWord(model.results.valid);
  document.body.classList.add('overall-' + overall);
  const header = el('header', {}, el('h1', {}, 'faultline — ', model.test.name || 'run'), el('span', { class: 'overall verdict-' + overall, id: 'overall' }, overall));
  const banners = el('section', { id: 'verdicts' },
    model.results.checkers.length ? model.results.checkers.map(verdictBanner) : el('div', { class: 'banner verdict-unknown', 'data-verdict': 'unknown' }, el('span', { class: 'verdict-word' }, 'UNKNOWN'), 'no checker results (results.json missing or empty)'),
  );
  const timeline = timelineView();
  const record = recordView();
  app.append(header, banners, metaSection(), plotsSection(), counterexamplesSection() || '', elleSection() || '', divergenceSection() || '', timeline.section, record.section, logsSection(), detailsSection());
  state.on('range', redrawPlots);
  redrawPlots();
  timeline.draw();
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      redrawPlots();
      timeline.draw();
    }, 100);
  });
  document.body.dataset.rendered = 'main';
  window.__faultlineRenderedAt = performance.now();
  // The full op table comes second: the verdicts and plots are already on screen.
  setTimeout(async () => {
    try {
      state.columns = await loadColumns();
      state.emit('columns');
      redrawPlots();
      document.body.dataset.columns = 'loaded';
      window.__faultlineColumnsAt = performance.now();
    } catch (err) {
      document.getElementById('timeline-status').textContent = 'could not decode the operations: ' + err;
      document.body.dataset.columns = 'failed';
    }
  }, 0);
}

render();
// For people debugging a report from the devtools console (and for the browser tests).
window.faultlineReport = Object.freeze({ model, loadRecord, select: (id) => state.select(id), jumpTo });
