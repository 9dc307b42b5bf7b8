// A history as a reader found it: the ops, and the line of the file each
// started on (so a problem found later still names its line).
import type { History } from '../op.ts';

export interface ParsedHistory {
  history: History;
  /** 1-based line of each op, in history order. */
  lines: number[];
}
