// What every view of the report shares: the visible time range, the selected
// op and the column table once it is decoded. Views subscribe to changes.
import type { OpColumns } from './op-columns.ts';
import { model } from './model.ts';

export type ViewEvent = 'range' | 'select' | 'columns';
export type TimeRange = [t0: number, t1: number];

export interface ViewState {
  /** The whole run, ms. */
  fullRange: TimeRange;
  /** The zoomed range every plot and the timeline show, ms. */
  range: TimeRange;
  /** Operation id of the selected op, -1 for none. */
  selected: number;
  /** Null until decoded after the first paint (event 'columns'). */
  columns: OpColumns | null;
  listeners: Record<ViewEvent, Array<() => void>>;
  on(event: ViewEvent, fn: () => void): void;
  emit(event: ViewEvent): void;
  setRange(t0: number, t1: number): void;
  resetRange(): void;
  select(id: number): void;
}

/** Shared view state: the visible time range and the selected op; views subscribe. */
export const state: ViewState = {
  fullRange: [0, Math.max(model.counts.durationMs, 1)],
  range: [0, Math.max(model.counts.durationMs, 1)],
  selected: -1,
  columns: null,
  listeners: { range: [], select: [], columns: [] },
  on(event, fn) {
    this.listeners[event].push(fn);
  },
  emit(event) {
    for (const fn of this.listeners[event]) fn();
  },
  setRange(t0, t1) {
    const [f0, f1] = this.fullRange;
    t0 = Math.max(f0, t0);
    t1 = Math.min(f1, t1);
    if (!(t1 - t0 > 0.001)) return;
    this.range = [t0, t1];
    this.emit('range');
  },
  resetRange() {
    this.range = this.fullRange.slice() as TimeRange;
    this.emit('range');
  },
  select(id) {
    this.selected = id;
    this.emit('select');
  },
};
