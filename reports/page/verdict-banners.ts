// One banner per checker result, first on the page: the verdict, the
// checker's summary, a button to its drawn view and, for a linearizability
// failure, when the first error happened and under which faults.
import type { CheckResult } from '../../checkers/index.ts';
import type { ReportFault } from '../report-data.ts';
import { el } from './dom.ts';
import { inForce } from './fault-effects.ts';
import { faultWithLabel } from './fault-label.ts';
import { formatDuration, verdictWord } from './format.ts';
import { jumpTo } from './jump.ts';
import { model } from './model.ts';

/** The faults active at time t (ms): those in force, not those shown to have done nothing. */
function faultsAt(t: number): ReportFault[] {
  return model.faults.filter((f) => inForce(f) && f.start <= t && t <= f.end);
}

/** The banner of result `index` of results.json. */
export function verdictBanner(result: CheckResult, index: number): HTMLDivElement {
  const word = verdictWord(result.valid);
  const banner = el('div', { class: 'banner verdict-' + word, 'data-checker': result.checker, 'data-verdict': word },
    el('span', { class: 'verdict-word' }, word.toUpperCase()),
    el('b', {}, result.checker),
    el('span', { class: 'verdict-summary' }, result.summary || ''),
  );
  const view = checkerSectionOf(index);
  if (view) banner.append(el('button', { class: 'show-view', 'data-show': view.id, onclick: () => document.getElementById(view.id)!.scrollIntoView({ block: 'start' }) }, view.label));
  const cx = model.counterexamples.find((c) => c.checker === result.checker && c.firstError >= 0);
  if (result.valid === false && cx) {
    const op = cx.ops.find((o) => o.id === cx.firstError);
    if (op) {
      const active = faultsAt(cx.anomalyAt);
      banner.append(
        el('div', { class: 'banner-detail' },
          'First error at ', el('b', {}, formatDuration(cx.anomalyAt)), ' (when no order was left): ', el('code', {}, op.description), ' by p' + op.process,
          active.length ? el('span', {}, ', during ', active.map(faultWithLabel).join(', ')) : ', with no fault active',
          ' ',
          el('button', { id: 'jump-first-error', class: 'jump', onclick: () => jumpTo(cx.firstError) }, 'Jump to first error'),
        ),
      );
    }
  }
  return banner;
}

/** The drawn view of result `index` (Elle anomalies, divergence table), if the page has one. */
function checkerSectionOf(index: number): { id: string; label: string } | null {
  const elle = (model.elle || []).findIndex((v) => v.resultIndex === index);
  if (elle >= 0) return { id: 'elle-' + elle, label: 'Show anomalies' };
  const divergence = (model.divergence || []).findIndex((v) => v.resultIndex === index);
  if (divergence >= 0) return { id: 'divergence-' + divergence, label: 'Show state hashes' };
  return null;
}
