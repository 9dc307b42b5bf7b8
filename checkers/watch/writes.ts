// What the writers did, indexed for the watch checker: the revision each ok
// write produced (its response's header revision), and every attempted write
// by what it wrote, so an event can be traced to the write that made it.
// Info writes (timed out, maybe applied) have no known revision: an event may
// reveal it, but none is owed to a watcher.
import type { OpPair } from '../../history/index.ts';
import { outcome } from '../invariants/pairs.ts';
import type { WriteResult, WriteValue } from './types.ts';

export interface Write {
  /** History index of the invoke. */
  index: number;
  outcome: 'ok' | 'fail' | 'info';
  /** Known only for ok writes that changed something. */
  revision?: number;
  /** The keys it set, and to what; null for a delete. */
  changes: Map<string, string | null>;
}

export interface Writes {
  byRevision: Map<number, Write>;
  /** A put's write by `key\0value` (values are unique per run). */
  byPut: Map<string, Write>;
  /** Deletes attempted per key (info or ok), for DELETE events of unknown revision. */
  deletesOf: Map<string, Write[]>;
  count: { ok: number; info: number; fail: number };
}

export const WRITE_FS = new Set(['put', 'txn', 'delete']);

export const putKey = (key: string, value: string): string => `${key}\0${value}`;

export function indexWrites(pairs: readonly OpPair[]): Writes {
  const w: Writes = { byRevision: new Map(), byPut: new Map(), deletesOf: new Map(), count: { ok: 0, info: 0, fail: 0 } };
  for (const p of pairs) {
    if (!WRITE_FS.has(p.invoke.f)) continue;
    const v = (p.invoke.value ?? {}) as WriteValue;
    const o = outcome(p);
    w.count[o]++;
    const changes = new Map<string, string | null>();
    for (const put of v.puts ?? []) changes.set(put.key, put.value);
    if (v.delete !== undefined) changes.set(v.delete, null);
    const write: Write = { index: p.invoke.index, outcome: o, changes };
    if (o === 'ok') {
      const r = (p.completion!.value ?? {}) as WriteResult;
      // A delete of nothing leaves the revision alone.
      if (typeof r.revision === 'number' && !(v.delete !== undefined && r.deleted === 0)) {
        write.revision = r.revision;
        w.byRevision.set(r.revision, write);
      }
    }
    for (const [key, value] of changes) {
      if (value !== null) w.byPut.set(putKey(key, value), write);
      else if (o !== 'fail') w.deletesOf.set(key, [...(w.deletesOf.get(key) ?? []), write]);
    }
  }
  return w;
}
