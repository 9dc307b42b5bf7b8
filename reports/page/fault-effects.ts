// How a fault's effect reads on the page: its word, and whether it is drawn
// as a fault that happened. A fault without effect (or whose start ended
// unknown) must not look like one that was in force.
import type { ReportFault } from '../report-data.ts';

export type EffectWord = 'took-effect' | 'no-effect' | 'unverified' | 'not-checked';

/** The effect as the page shows it; faults recorded before evidence existed were not checked. */
export function effectWord(f: ReportFault): EffectWord {
  return f.effect ?? 'not-checked';
}

export const EFFECT_LABEL: Record<EffectWord, string> = {
  'took-effect': 'took effect',
  'no-effect': 'NO EFFECT',
  unverified: 'unverified',
  'not-checked': 'not checked',
};

/** Drawn as a fault in force (a solid bar, a band behind the plots): all but those shown to have done nothing. */
export function inForce(f: ReportFault): boolean {
  return f.effect !== 'no-effect';
}

/** "took effect: 4 of 6 pairs cut as intended ..." for tooltips and the list. */
export function describeEffect(f: ReportFault): string {
  const word = EFFECT_LABEL[effectWord(f)];
  const why = f.evidence?.summary;
  return (f.uncertain ? 'start unknown (info), ' : '') + word + (why ? ': ' + why : '');
}
