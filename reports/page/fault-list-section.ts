// Every fault of the run in a table: what, where, when, whether it took
// effect and the evidence (what the nemesis measured), and how its heal went.
// Rows of faults without effect stand out; the full evidence opens below.
import type { ReportFault } from '../report-data.ts';
import { el } from './dom.ts';
import { EFFECT_LABEL, effectWord, type EffectWord } from './fault-effects.ts';
import { formatDuration, prettyJson } from './format.ts';
import { model } from './model.ts';

function effectCell(word: EffectWord, uncertain: boolean | undefined): HTMLElement {
  return el('span', { class: 'effect effect-' + word, title: uncertain ? 'the start op ended info: what it applied is unknown' : null }, EFFECT_LABEL[word], uncertain ? ' (start unknown)' : '');
}

/** "3 failed, 1 timed out; 48 → 12 → 47 ops/s" */
function describeImpact(f: ReportFault): string {
  const i = f.impact!;
  const rate = (r: number | null) => (r === null ? '–' : String(Math.round(r)));
  return i.failed + ' failed, ' + i.timedOut + ' timed out; ' + rate(i.throughput.before) + ' → ' + rate(i.throughput.during) + ' → ' + rate(i.throughput.after) + ' ops/s';
}

function faultRow(f: ReportFault, i: number): HTMLTableRowElement[] {
  const word = effectWord(f);
  const heal = f.heal?.effect ? EFFECT_LABEL[f.heal.effect] + (f.heal.evidence?.summary ? ': ' + f.heal.evidence.summary : '') : f.healed ? 'healed' : 'never healed';
  const row = el(
    'tr',
    { class: 'fault-row effect-' + word, 'data-effect': word, 'data-fault': f.fault, id: 'fault-' + i },
    el('td', {}, f.fault),
    el('td', {}, f.nodes.join(' ') || '—'),
    el('td', { class: 'num' }, formatDuration(f.start) + ' – ' + (f.healed ? formatDuration(f.end) : 'end')),
    el('td', {}, effectCell(word, f.uncertain)),
    el('td', { class: 'evidence' }, f.evidence?.summary || (f.description ?? '')),
    el('td', { class: 'impact' }, f.impact ? describeImpact(f) : '—'),
    el('td', { class: 'heal muted' }, heal),
  );
  if (!f.evidence && !f.heal?.evidence) return [row];
  const detail = el(
    'tr',
    { class: 'fault-evidence' },
    el('td', {}),
    el('td', { colspan: 6 }, el('details', {}, el('summary', {}, 'evidence'), el('pre', {}, prettyJson({ fault: f.evidence ?? null, heal: f.heal?.evidence ?? null }, 20000)))),
  );
  return [row, detail];
}

export function faultListSection(): HTMLElement | null {
  if (!model.faults.length) return null;
  const count = (w: EffectWord) => model.faults.filter((f) => effectWord(f) === w).length;
  const parts = (['took-effect', 'no-effect', 'unverified', 'not-checked'] as const).filter((w) => count(w) > 0).map((w) => count(w) + ' ' + EFFECT_LABEL[w]);
  return el(
    'section',
    { id: 'fault-list' },
    el('h2', {}, 'Faults and their evidence'),
    el('p', { id: 'fault-effects', class: count('no-effect') ? 'has-ineffective' : null }, model.faults.length + ' faults: ' + parts.join(', ')),
    el(
      'table',
      { class: 'faults' },
      el('tr', {}, el('th', {}, 'fault'), el('th', {}, 'nodes'), el('th', {}, 'when'), el('th', {}, 'effect'), el('th', {}, 'evidence'), el('th', { title: 'client ops that failed or timed out while it lasted; ok ops/s before → during → after' }, 'clients'), el('th', {}, 'heal')),
      model.faults.map(faultRow),
    ),
  );
}
