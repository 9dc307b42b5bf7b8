// Each watcher's stream, read back from its `watch` ops in history order:
// what it asked for, and every item it was delivered, numbered by response
// (a response is the unit etcd delivers atomically).
import type { OpPair } from '../../history/index.ts';
import type { WatchEvent, WatchInvoke, WatchItem, WatchOptions, WatchResult } from './types.ts';

export interface Delivered {
  item: WatchItem;
  /** History index of the watch completion that recorded it. */
  op: number;
  /** Position of its response in the watcher's stream. */
  response: number;
}

export interface DeliveredEvent {
  event: WatchEvent;
  op: number;
  response: number;
}

export interface Watcher {
  id: string;
  options: WatchOptions;
  items: Delivered[];
}

export function readWatchers(pairs: readonly OpPair[]): Watcher[] {
  const byId = new Map<string, Watcher>();
  let response = 0;
  for (const p of pairs) {
    if (p.invoke.f !== 'watch' || p.completion?.type !== 'ok') continue;
    const { watcher: id, options } = p.invoke.value as WatchInvoke;
    let w = byId.get(id);
    if (!w) byId.set(id, (w = { id, options, items: [] }));
    for (const item of ((p.completion.value ?? {}) as WatchResult).items ?? []) w.items.push({ item, op: p.completion.index, response: response++ });
  }
  return [...byId.values()];
}

/** The watcher's events in delivery order. */
export function eventsOf(w: Watcher): DeliveredEvent[] {
  const out: DeliveredEvent[] = [];
  for (const d of w.items) if (d.item.kind === 'events') for (const event of d.item.events) out.push({ event, op: d.op, response: d.response });
  return out;
}

export function inRange(o: WatchOptions, key: string): boolean {
  return key >= o.key && (o.rangeEnd === '' ? key === o.key : key < o.rangeEnd);
}

/** Would this watcher be sent an event of this type, filters considered? */
export function passesFilters(o: WatchOptions, type: WatchEvent['type']): boolean {
  return !(o.filters ?? []).includes(type === 'PUT' ? 'NOPUT' : 'NODELETE');
}
