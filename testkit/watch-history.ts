// Synthetic histories of the watch workload for tests: ok writes making
// revisions 2..5, and one watcher's polls over them (GOOD: a valid stream
// with a resume), to be broken one rule at a time.
import type { WatchEvent, WatchItem, WatchOptions } from '../checkers/index.ts';
import type { History, Op } from '../history/index.ts';

export type Step = [f: string, value: unknown, type: 'ok' | 'fail' | 'info', result?: unknown, process?: number];

export const ALL: WatchOptions = { key: 'watch/', rangeEnd: 'watch0', start: 'first', prevKv: true };

/** A history built op pair by op pair, each completing before the next starts. */
export function historyOf(steps: Step[]): History {
  const h: Op[] = [];
  for (const [f, value, type, result, process = 0] of steps) {
    h.push({ index: h.length, time: h.length, process, type: 'invoke', f, value });
    h.push({ index: h.length, time: h.length, process, type, f, value: type === 'ok' ? result : value });
  }
  return h;
}

export const put = (key: string, value: string, mod: number, create = mod, version = 1, prev?: WatchEvent['prev']): WatchEvent => ({ type: 'PUT', key, value, mod, create, version, ...(prev ? { prev } : {}) });
export const del = (key: string, mod: number, prev?: WatchEvent['prev']): WatchEvent => ({ type: 'DELETE', key, value: '', mod, create: 0, version: 0, ...(prev ? { prev } : {}) });
export const events = (revision: number, ...evs: WatchEvent[]): WatchItem => ({ kind: 'events', revision, events: evs });

export const K0A = put('watch/k0', 'a', 2);
export const K1B = put('watch/k1', 'b', 3);
export const K2C = put('watch/k2', 'c', 3);
export const K0DEL = del('watch/k0', 4, { value: 'a', mod: 2, create: 2, version: 1 });
export const K1D = put('watch/k1', 'd', 5, 3, 2, { value: 'b', mod: 3, create: 3, version: 1 });

export const WRITES: Step[] = [
  ['put', { puts: [{ key: 'watch/k0', value: 'a' }] }, 'ok', { revision: 2 }],
  ['txn', { puts: [{ key: 'watch/k1', value: 'b' }, { key: 'watch/k2', value: 'c' }] }, 'ok', { revision: 3 }],
  ['delete', { delete: 'watch/k0' }, 'ok', { revision: 4, deleted: 1 }],
  ['put', { puts: [{ key: 'watch/k1', value: 'd' }] }, 'ok', { revision: 5 }],
  // Deleting a missing key makes no revision, so no event is owed.
  ['delete', { delete: 'watch/k4' }, 'ok', { revision: 5, deleted: 0 }],
];

/** The writes, then one watcher's `watch` ops, one per list of items. */
export function run(polls: WatchItem[][], options: WatchOptions = ALL, extraWrites: Step[] = []): History {
  return historyOf([...WRITES, ...extraWrites, ...polls.map((items) => ['watch', { watcher: 'w0', options }, 'ok', { items }, 1] as Step)]);
}

export const GOOD: WatchItem[][] = [
  [{ kind: 'start', from: 1, node: 'n1' }, events(2, K0A), events(3, K1B, K2C), { kind: 'progress', revision: 3 }],
  [{ kind: 'start', from: 4, node: 'n2', reason: 'stream broke' }, events(4, K0DEL)],
  [events(5, K1D), { kind: 'progress', revision: 5 }],
];

