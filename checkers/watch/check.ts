// The watch checker: etcd's documented watch guarantees, held to one
// history (https://etcd.io/docs/v3.4/learning/api_guarantees/#watch-apis):
//   ordered       events arrive by revision; a revision never goes back. Events
//                 of one revision (one txn) come in the txn's own order, which
//                 etcd does not promise by key: within a revision any order.
//   unique        no event (revision, key) twice on one watcher, resumes included.
//   atomic        all events of one revision in one response.
//   reliable      no gap: every revision an ok write produced between the
//                 watcher's start and the last revision it was told about
//                 (event or progress notification) reaches it, for every
//                 watched key it changed (filters applied). Info writes are
//                 owed to no one.
//   bookmarkable  a progress notification at R says "all events <= R were
//                 delivered": no event at or below R may follow it.
//   prev-kv       an event's prev_kv is the key's state at its previous
//                 modification (from the ok writes and every watcher's events).
//   filter        no event outside the range, none of a filtered type.
//   value         an event is what the write of its revision wrote: the ok
//                 write with that revision, or an info write of that value
//                 (seen at one revision only); otherwise a phantom.
// Pure: history in, verdict out.
import type { History } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';
import { clientPairs } from '../invariants/pairs.ts';
import { indexWrites, putKey, type Write, type Writes } from './writes.ts';
import { eventsOf, inRange, passesFilters, readWatchers, type DeliveredEvent, type Watcher } from './watchers.ts';
import { WATCH_RULES, type KvState, type WatchEvent, type WatchOptions, type WatchRule, type WatchViolation } from './types.ts';

/** Violations kept in the details (all are counted). */
export const MAX_VIOLATIONS = 50;

export interface WatcherSummary {
  id: string;
  options: WatchOptions;
  from?: number;
  last: number;
  events: number;
  responses: number;
  progress: number;
  starts: number;
}

export interface WatchDetails {
  writes: Writes['count'];
  eventsChecked: number;
  watchers: WatcherSummary[];
  counts: Record<WatchRule, number>;
  violations: WatchViolation[];
}

const at = (e: { key: string; mod: number }) => `${e.key}@${e.mod}`;
const eventKey = (rev: number, key: string) => `${rev}\0${key}`;

/** A key's modifications by revision: null value for a delete. */
type Timeline = Map<string, Array<{ rev: number; value: string | null }>>;

export function checkWatch(history: History): CheckResult {
  const pairs = clientPairs(history, 'watch');
  if (!Array.isArray(pairs)) return pairs;
  const writes = indexWrites(pairs);
  const watchers = readWatchers(pairs);
  const violations: WatchViolation[] = [];
  const report = (v: WatchViolation) => void violations.push(v);

  const events = new Map(watchers.map((w) => [w, eventsOf(w)]));
  const revealed = checkValues(watchers, events, writes, report);
  const timeline = keyTimeline(writes, revealed);
  const okRevisions = [...writes.byRevision.keys()].sort((a, b) => a - b);
  const summaries = watchers.map((w) => checkWatcher(w, events.get(w)!, writes, okRevisions, timeline, report));

  const counts = Object.fromEntries(WATCH_RULES.map((r) => [r, 0])) as Record<WatchRule, number>;
  for (const v of violations) counts[v.rule]++;
  const eventsChecked = summaries.reduce((n, s) => n + s.events, 0);
  const details: WatchDetails = { writes: writes.count, eventsChecked, watchers: summaries, counts, violations: violations.slice(0, MAX_VIOLATIONS) };
  if (violations.length) {
    const which = WATCH_RULES.filter((r) => counts[r]).map((r) => `${counts[r]} ${r}`).join(', ');
    return { checker: 'watch', valid: false, summary: `${violations.length} watch violation(s) (${which}); first: ${violations[0].explanation}`, details };
  }
  if (!watchers.length || eventsChecked + summaries.reduce((n, s) => n + s.progress, 0) === 0) {
    return { checker: 'watch', valid: 'unknown', summary: `no watcher was delivered anything (${watchers.length} watcher(s), ${writes.count.ok} ok writes)`, details };
  }
  return {
    checker: 'watch',
    valid: true,
    summary: `${eventsChecked} events on ${watchers.length} watcher(s) ordered, unique, atomic, gap-free and true to ${writes.count.ok} ok writes (${writes.count.info} info)`,
    details,
  };
}

/**
 * Rule `value`: each event against the write of its revision. Returns the
 * revision each info write turned out to have (from the events).
 */
function checkValues(watchers: Watcher[], events: Map<Watcher, DeliveredEvent[]>, writes: Writes, report: (v: WatchViolation) => void): Map<Write, number> {
  const revealed = new Map<Write, number>();
  for (const w of watchers) {
    for (const { event: e, op } of events.get(w)!) {
      const bad = (explanation: string, write?: Write) =>
        report({ rule: 'value', watcher: w.id, revision: e.mod, key: e.key, ops: write ? [op, write.index] : [op], explanation: `watcher ${w.id}: ${e.type} ${at(e)} (op ${op}) ${explanation}` });
      const byRev = writes.byRevision.get(e.mod);
      if (byRev) {
        const change = byRev.changes.get(e.key);
        if (change === undefined) bad(`: revision ${e.mod} was made by write op ${byRev.index}, which did not touch ${e.key}`, byRev);
        else if (e.type === 'DELETE' ? change !== null : change !== e.value)
          bad(`carries ${e.type === 'DELETE' ? 'a delete' : JSON.stringify(e.value)}, but write op ${byRev.index} made revision ${e.mod} ${change === null ? 'delete it' : `write ${JSON.stringify(change)}`}`, byRev);
        continue;
      }
      if (e.type === 'DELETE') {
        if (!(writes.deletesOf.get(e.key) ?? []).some((d) => d.outcome === 'info')) bad(`is a phantom: no ok write has revision ${e.mod} and no indeterminate delete of ${e.key} exists`);
        continue;
      }
      const write = writes.byPut.get(putKey(e.key, e.value));
      if (!write) bad(`is a phantom: no write ever wrote ${JSON.stringify(e.value)} to ${e.key}`);
      else if (write.outcome === 'fail') bad(`is a phantom: ${JSON.stringify(e.value)} was written only by write op ${write.index}, which failed`, write);
      else if (write.outcome === 'ok') bad(`: write op ${write.index} wrote ${JSON.stringify(e.value)} at revision ${write.revision}, not ${e.mod}`, write);
      else {
        const seen = revealed.get(write);
        if (seen === undefined) revealed.set(write, e.mod);
        else if (seen !== e.mod) bad(`: indeterminate write op ${write.index} was already seen at revision ${seen}`, write);
      }
    }
  }
  return revealed;
}

function keyTimeline(writes: Writes, revealed: Map<Write, number>): Timeline {
  const t: Timeline = new Map();
  const add = (w: Write, rev: number) => {
    for (const [key, value] of w.changes) {
      let list = t.get(key);
      if (!list) t.set(key, (list = []));
      list.push({ rev, value });
    }
  };
  for (const [rev, w] of writes.byRevision) add(w, rev);
  for (const [w, rev] of revealed) add(w, rev);
  for (const list of t.values()) list.sort((a, b) => a.rev - b.rev);
  return t;
}

/** The key's last known modification before `rev`. */
function before(t: Timeline, key: string, rev: number): { rev: number; value: string | null } | undefined {
  const list = t.get(key) ?? [];
  const i = lowerBound(list, rev, (m) => m.rev);
  return i > 0 ? list[i - 1] : undefined;
}

function checkWatcher(w: Watcher, events: DeliveredEvent[], writes: Writes, okRevisions: number[], timeline: Timeline, report: (v: WatchViolation) => void): WatcherSummary {
  const o = w.options;
  const said = (what: string) => `watcher ${w.id}: ${what}`;
  const delivered = new Map<string, number>(); // (revision, key) -> op
  const responseOf = new Map<number, { response: number; op: number }>();
  let from: number | undefined;
  let last = 0; // highest revision the watcher was told about (event or progress)
  let lastEvent = 0;
  let progressAt = 0;
  let progressOp = -1;
  let progress = 0;
  let starts = 0;
  let responses = 0;
  /** Revision ranges a compaction took away: not owed. */
  const excused: Array<[number, number]> = [];
  let eventIdx = 0;

  for (const d of w.items) {
    const item = d.item;
    if (item.kind === 'start') {
      starts++;
      from ??= item.from;
      continue;
    }
    if (item.kind === 'canceled') {
      if (item.compactRevision) excused.push([Math.max(lastEvent, last) + 1, item.compactRevision - 1]);
      continue;
    }
    responses++;
    if (item.kind === 'progress') {
      progress++;
      if (item.revision > progressAt) [progressAt, progressOp] = [item.revision, d.op];
      last = Math.max(last, item.revision);
      continue;
    }
    for (let i = 0; i < item.events.length; i++, eventIdx++) {
      const { event: e, op } = events[eventIdx];
      const v = (rule: WatchRule, explanation: string, ops: number[] = [op]) => report({ rule, watcher: w.id, revision: e.mod, key: e.key, ops, explanation: said(explanation) });
      if (!inRange(o, e.key)) v('filter', `${at(e)} (op ${op}) is outside the watched range [${o.key}, ${o.rangeEnd})`);
      if (!passesFilters(o, e.type)) v('filter', `${e.type} ${at(e)} (op ${op}) was delivered despite the filter ${(o.filters ?? []).join(',')}`);
      const k = eventKey(e.mod, e.key);
      const dup = delivered.get(k);
      if (dup !== undefined) v('unique', `${at(e)} delivered twice: op ${dup} and op ${op}`, [dup, op]);
      else delivered.set(k, op);
      if (e.mod < lastEvent) v('ordered', `${at(e)} (op ${op}) came after an event at revision ${lastEvent}`);
      const r = responseOf.get(e.mod);
      if (r && r.response !== d.response && dup === undefined) v('atomic', `revision ${e.mod} split across responses (op ${r.op} and op ${op})`, [r.op, op]);
      else if (!r) responseOf.set(e.mod, { response: d.response, op });
      if (e.mod <= progressAt) v('bookmarkable', `progress notification at revision ${progressAt} (op ${progressOp}) promised every event up to it, yet ${at(e)} came after (op ${op})`, [progressOp, op]);
      if (o.prevKv) checkPrev(e, op, timeline, writes, (why) => v('prev-kv', `${e.type} ${at(e)} (op ${op}) ${why}`));
      lastEvent = Math.max(lastEvent, e.mod);
      last = Math.max(last, e.mod);
    }
  }

  // Rule `reliable`: every watched change of an ok write from the start to `last`.
  if (from !== undefined) {
    let i = lowerBound(okRevisions, from, (r) => r);
    for (; i < okRevisions.length && okRevisions[i] <= last; i++) {
      const rev = okRevisions[i];
      if (excused.some(([a, b]) => rev >= a && rev <= b)) continue;
      const write = writes.byRevision.get(rev)!;
      for (const [key, value] of write.changes) {
        if (!inRange(o, key) || !passesFilters(o, value === null ? 'DELETE' : 'PUT') || delivered.has(eventKey(rev, key))) continue;
        const told = progressAt >= rev ? `a progress notification at ${progressAt} (op ${progressOp})` : `events up to revision ${lastEvent}`;
        report({
          rule: 'reliable',
          watcher: w.id,
          revision: rev,
          key,
          ops: [write.index],
          explanation: said(`missed ${value === null ? 'the delete' : 'the put'} ${key}@${rev} of ok write op ${write.index}: it watched from revision ${from} and was given ${told}`),
        });
      }
    }
  }
  return { id: w.id, options: o, ...(from !== undefined ? { from } : {}), last, events: events.length, responses, progress, starts };
}

/** Rule `prev-kv`: the previous state the event carries against the key's known history. */
function checkPrev(e: WatchEvent, op: number, timeline: Timeline, writes: Writes, bad: (why: string) => void): void {
  const known = before(timeline, e.key, e.mod);
  const p = e.prev;
  const show = (s: KvState | undefined) => (s ? `${JSON.stringify(s.value)} from revision ${s.mod}` : 'none');
  if (p) {
    if (p.mod >= e.mod) return bad(`has a prev_kv from revision ${p.mod}, not before it`);
    if (known && p.mod < known.rev) return bad(`has prev_kv ${show(p)}, but the key was ${known.value === null ? 'deleted' : `set to ${JSON.stringify(known.value)}`} at revision ${known.rev} since`);
    if (known && p.mod === known.rev) {
      if (known.value === null) return bad(`has prev_kv ${show(p)}, but revision ${p.mod} deleted the key`);
      if (known.value !== p.value) return bad(`has prev_kv ${show(p)}, but revision ${p.mod} wrote ${JSON.stringify(known.value)}`);
    } else if (writes.byPut.get(putKey(e.key, p.value))?.outcome !== 'info') {
      // Newer than anything known: only an indeterminate write nobody saw could explain it.
      return bad(`has prev_kv ${show(p)}, which no write explains (last known: ${known ? `revision ${known.rev}` : 'none'})`);
    }
    if (e.type === 'PUT' && (e.version !== p.version + 1 || e.create !== p.create)) bad(`has version ${e.version}/create ${e.create} after prev_kv version ${p.version}/create ${p.create}`);
  } else if (known && known.value !== null && !(writes.deletesOf.get(e.key) ?? []).some((d) => d.outcome === 'info')) {
    bad(`has no prev_kv, but the key held ${JSON.stringify(known.value)} since revision ${known.rev}`);
  }
}

/** First position whose revision is >= x (xs sorted by revision). */
function lowerBound<T>(xs: readonly T[], x: number, rev: (t: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rev(xs[mid]) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
