// The page's colours: one per outcome (ok / fail / info, in the order of the
// column table's type codes) and one per fault kind.
import type { Outcome } from '../operations.ts';

/** Outcome names by type code (reports/series.ts OUTCOMES: the writer's order). */
export const OUTCOME_NAMES = ['ok', 'fail', 'info'] as const satisfies readonly Outcome[];
export const OUTCOME_COLORS = ['#3b8f4e', '#d03c3c', '#e39a1c'];
const FAULT_COLORS = ['#8e6cc0', '#3a7bbf', '#c2588f', '#4f9e9e', '#b08a2e', '#6b7a8f'];

/** Fault kinds in order of first appearance: the order their colours were handed out. */
const faultKinds: string[] = [];

/** A stable colour per fault kind, in order of first appearance. */
export function faultColor(fault: string): string {
  let i = faultKinds.indexOf(fault);
  if (i < 0) {
    faultKinds.push(fault);
    i = faultKinds.length - 1;
  }
  return FAULT_COLORS[i % FAULT_COLORS.length];
}
