// Ops for the watch workload, per worker. Even workers write: puts, txns of
// several puts and deletes to a few keys, each value unique ("worker.n"),
// paced so a run stays small. Odd workers watch: one `watch` op after
// another, each taking what the stream delivered since the last; each
// watcher keeps one set of options (a preset, by its number), so together
// they cover both start points, prev_kv, both filters and progress notify.
import { eachWorker, ms, type Generator, type WorkerId } from '../../generator/index.ts';
import type { WatchInvoke, WatchOptions, WriteValue } from '../../checkers/index.ts';

export const WATCH_PREFIX = 'watch/';
const KEYS = 5;
const key = (i: number) => `${WATCH_PREFIX}k${i}`;

/** Watcher options by watcher number (cycled). */
export const WATCHER_PRESETS: readonly WatchOptions[] = [
  { key: WATCH_PREFIX, rangeEnd: 'watch0', start: 'first', prevKv: true },
  { key: key(1), rangeEnd: key(3), start: 'current', filters: ['NOPUT'], progressNotify: true },
  { key: WATCH_PREFIX, rangeEnd: 'watch0', start: 'first', filters: ['NODELETE'], prevKv: true, progressNotify: true },
  { key: WATCH_PREFIX, rangeEnd: 'watch0', start: 'current', progressNotify: true },
];

export interface WatchGeneratorOptions {
  /** Pause between one writer's writes, ms (bounds events per second). */
  writeGapMs?: [number, number];
}

export const isWatcher = (worker: WorkerId): boolean => typeof worker === 'number' && worker % 2 === 1;

function writer(worker: WorkerId, gap: [number, number]): Generator {
  let n = 0;
  let notBefore = 0;
  return {
    next(ctx) {
      if (ctx.time < notBefore) return { kind: 'wait', until: notBefore };
      notBefore = ctx.time + ms(gap[0] + ctx.random.float() * (gap[1] - gap[0]));
      const value = () => `${worker}.${n++}`;
      const r = ctx.random.float();
      if (r < 0.2) return { kind: 'op', op: { f: 'delete', value: { delete: key(ctx.random.int(KEYS)) } satisfies WriteValue } };
      if (r < 0.5) {
        // 2 or 3 distinct keys in one txn: one revision, several events.
        const first = ctx.random.int(KEYS);
        const count = 2 + ctx.random.int(2);
        const puts = Array.from({ length: count }, (_, i) => ({ key: key((first + i * 2) % KEYS), value: value() }));
        return { kind: 'op', op: { f: 'txn', value: { puts } satisfies WriteValue } };
      }
      return { kind: 'op', op: { f: 'put', value: { puts: [{ key: key(ctx.random.int(KEYS)), value: value() }] } satisfies WriteValue } };
    },
  };
}

function watcher(worker: number): Generator {
  const number = (worker - 1) / 2;
  const value: WatchInvoke = { watcher: `w${number}`, options: WATCHER_PRESETS[number % WATCHER_PRESETS.length] };
  return { next: () => ({ kind: 'op', op: { f: 'watch', value } }) };
}

export function watchGenerator(opts: WatchGeneratorOptions = {}): Generator {
  const gap = opts.writeGapMs ?? [20, 60];
  return eachWorker((w) => (isWatcher(w) ? watcher(w as number) : writer(w, gap)));
}
