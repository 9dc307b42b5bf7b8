'use strict'; // kept in the bundle (a classic script): strict as the modules it is made of
// Entry of report.html's script (bundled by reports/page-script.ts). Lays the
// report out: verdicts first (what failed, when, under which fault), then the
// plots, the counterexample and checker views, the timeline, the selected op,
// the logs; the op table is decoded after the first paint.
import { checkerDetailsSection } from './checker-details-section.ts';
import { counterexamplesSection } from './counterexample-section.ts';
import { coverageSection } from './coverage-section.ts';
import { divergenceSection } from './divergence-section.ts';
import { raftRulesSection } from './raft-rules-section.ts';
import { watchSection } from './watch-section.ts';
import { el } from './dom.ts';
import { elleSection } from './elle-section.ts';
import { faultListSection } from './fault-list-section.ts';
import { verdictWord } from './format.ts';
import { jumpTo } from './jump.ts';
import { logsSection } from './logs-section.ts';
import { model } from './model.ts';
import { loadColumns } from './op-columns.ts';
import { loadRecord } from './op-records.ts';
import { plotsSection } from './plots-section.ts';
import { recordView } from './record-view.ts';
import { runInfoSection } from './run-info-section.ts';
import { redrawPlots } from './time-plot.ts';
import { timelineView } from './timeline.ts';
import { verdictBanner } from './verdict-banners.ts';
import { state } from './view-state.ts';
import type { ReportApi } from './window-hooks.ts';

function render(): void {
  const app = document.getElementById('app')!;
  app.textContent = '';
  const overall = verdictWord(model.results.valid);
  document.body.classList.add('overall-' + overall);
  const header = el('header', {}, el('h1', {}, 'faultline — ', model.test.name || 'run'), el('span', { class: 'overall verdict-' + overall, id: 'overall' }, overall));
  const banners = el('section', { id: 'verdicts' },
    model.results.checkers.length ? model.results.checkers.map(verdictBanner) : el('div', { class: 'banner verdict-unknown', 'data-verdict': 'unknown' }, el('span', { class: 'verdict-word' }, 'UNKNOWN'), 'no checker results (results.json missing or empty)'),
  );
  const timeline = timelineView();
  const record = recordView();
  app.append(header, banners, runInfoSection(), plotsSection(), faultListSection() || '', counterexamplesSection() || '', elleSection() || '', divergenceSection() || '', raftRulesSection() || '', watchSection() || '', coverageSection() || '', timeline.section, record.section, logsSection(), checkerDetailsSection());
  state.on('range', redrawPlots);
  redrawPlots();
  timeline.draw();
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
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
      document.getElementById('timeline-status')!.textContent = 'could not decode the operations: ' + err;
      document.body.dataset.columns = 'failed';
    }
  }, 0);
}

render();
// For people debugging a report from the devtools console (and for the browser tests).
window.faultlineReport = Object.freeze({ model, loadRecord, select: (id: number) => state.select(id), jumpTo } satisfies ReportApi);
