// npm run bench:watch: how fast the watch checker judges a large synthetic
// history (a valid one: every rule walks every event). Writers make one
// revision per op (a put, or a txn of two puts); three watchers with
// prev_kv each see every revision, resuming once midway. Prints watch events
// checked per second, best of 3.
import { checkWatch, type WatchDetails, type WatchEvent, type WatchItem, type WatchOptions } from '../checkers/index.ts';
import type { History } from '../history/index.ts';
import { historyOf, type Step } from '../testkit/watch-history.ts';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 100_000);
const WATCHERS = 3;
const KEYS = 5;
const PER_POLL = 50;

function syntheticHistory(): History {
  const steps: Step[] = [];
  const state = new Map<string, { value: string; mod: number; create: number; version: number }>();
  const responses: WatchItem[] = [];
  let rev = 1;
  let n = 0;
  for (let events = 0; events * WATCHERS < TARGET_EVENTS; ) {
    rev++;
    const keys = rev % 3 === 0 ? [`watch/k${rev % KEYS}`, `watch/k${(rev + 2) % KEYS}`] : [`watch/k${rev % KEYS}`];
    const puts = keys.map((key) => ({ key, value: `v${n++}` }));
    steps.push([keys.length > 1 ? 'txn' : 'put', { puts }, 'ok', { revision: rev }]);
    const evs: WatchEvent[] = puts.map(({ key, value }) => {
      const prev = state.get(key);
      const now = { value, mod: rev, create: prev?.create ?? rev, version: (prev?.version ?? 0) + 1 };
      state.set(key, now);
      return { type: 'PUT', key, ...now, ...(prev ? { prev } : {}) };
    });
    responses.push({ kind: 'events', revision: rev, events: evs });
    events += evs.length;
  }
  const options: WatchOptions = { key: 'watch/', rangeEnd: 'watch0', start: 'first', prevKv: true };
  for (let w = 0; w < WATCHERS; w++) {
    const mid = responses.length >> 1;
    const items: WatchItem[] = [
      { kind: 'start', from: 1, node: 'n1' },
      ...responses.slice(0, mid),
      { kind: 'start', from: (responses[mid - 1] as { revision: number }).revision + 1, node: 'n2', reason: 'stream broke' },
      ...responses.slice(mid),
    ];
    for (let i = 0; i < items.length; i += PER_POLL) steps.push(['watch', { watcher: `w${w}`, options }, 'ok', { items: items.slice(i, i + PER_POLL) }, 100 + w]);
  }
  return historyOf(steps);
}

const history = syntheticHistory();
let best = Infinity;
let details: WatchDetails | undefined;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const r = checkWatch(history);
  best = Math.min(best, performance.now() - t0);
  if (r.valid !== true) throw new Error(`bench history should be valid: ${r.summary}`);
  details = r.details as WatchDetails;
}
const events = details!.eventsChecked;
console.log(`watch checker: ${events} events on ${WATCHERS} watchers against ${details!.writes.ok} writes (${history.length} ops) in ${best.toFixed(0)} ms: ${Math.round(events / (best / 1000)).toLocaleString('en-US')} events/s`);
