// An in-memory transactional store with switchable isolation, used only by
// tests and the benchmark: it produces histories whose anomalies we know in
// advance. Processes run transactions concurrently in a seeded interleaving;
// each step advances one process by one micro-op (or commits it).
//
// Modes:
//   serializable        each transaction runs atomically at one step between
//                       its invoke and completion: strict serializable
//   snapshot-isolation  reads from a snapshot taken at begin, first committer
//                       wins on write conflicts: allows write skew (G2-item)
//   read-committed      reads see the latest committed state, writes apply at
//                       commit: allows non-repeatable reads, lost updates, G-single
//   lost-update         snapshot reads, commit overwrites keys with the
//                       snapshot value plus own writes, no conflict check
//   no-isolation        every micro-op applies to shared state at once, aborts
//                       roll back afterwards: dirty reads, aborted reads, everything
import type { Op } from '../history/op.ts';
import { Random } from '../generator/random.ts';

export type IsolationMode = 'serializable' | 'snapshot-isolation' | 'read-committed' | 'lost-update' | 'no-isolation';
export type SimWorkload = 'list-append' | 'rw-register';

export interface SimOptions {
  seed: number;
  mode: IsolationMode;
  workload?: SimWorkload;
  txns: number;
  processes?: number;
  /** Keys in use at a time; a key is retired after maxWritesPerKey writes. */
  activeKeys?: number;
  maxWritesPerKey?: number;
  /** 1..maxMops micro-ops per transaction. */
  maxMops?: number;
  /** no-isolation only: chance that a transaction aborts (and rolls back). */
  abortRate?: number;
}

type Value = number[] | number | null;
type Mop = [string, number, unknown];

interface Running {
  process: number;
  mops: Mop[];
  cursor: number;
  snapshot?: Map<number, Value>;
  snapshotSeq: number;
  writes: Map<number, Value>; // buffered final values (own view)
  undo: Array<() => void>; // no-isolation rollback
}

export function simulate(opts: SimOptions): Op[] {
  const rnd = new Random(opts.seed);
  const workload = opts.workload ?? 'list-append';
  const processes = opts.processes ?? 5;
  const activeKeys = opts.activeKeys ?? 6;
  const maxWrites = opts.maxWritesPerKey ?? 16;
  const maxMops = opts.maxMops ?? 4;
  const state = new Map<number, Value>();
  const lastCommit = new Map<number, number>(); // key -> commit sequence number
  let commitSeq = 0;
  const written = new Map<number, number>(); // key -> writes so far (unique values)
  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  let nextKey = activeKeys;
  const history: Op[] = [];
  const running = new Map<number, Running>();
  let started = 0;
  const emit = (process: number, type: Op['type'], value: unknown) =>
    history.push({ index: history.length, time: history.length * 1000, process, type, f: 'txn', value });
  const read = (k: number): Value => state.get(k) ?? null;

  const newTxn = (): Mop[] => {
    const n = 1 + rnd.int(maxMops);
    const mops: Mop[] = [];
    for (let i = 0; i < n; i++) {
      const slot = rnd.int(keys.length);
      const k = keys[slot];
      if (rnd.float() < 0.5) mops.push(['r', k, null]);
      else {
        const v = (written.get(k) ?? 0) + 1;
        written.set(k, v);
        if (v >= maxWrites) keys[slot] = nextKey++; // retire the key
        mops.push([workload === 'list-append' ? 'append' : 'w', k, v]);
      }
    }
    return mops;
  };

  /** Apply one micro-op; `view` reads, `put` writes (mode decides where they go). */
  const step = (t: Running, view: (k: number) => Value, put: (k: number, v: Value) => void) => {
    const m = t.mops[t.cursor++];
    const k = m[1];
    if (m[0] === 'r') {
      const v = view(k);
      m[2] = workload === 'list-append' ? [...((v as number[] | null) ?? [])] : v;
    } else if (m[0] === 'append') put(k, [...((view(k) as number[] | null) ?? []), m[2] as number]);
    else put(k, m[2] as number);
  };
  const ownView = (t: Running, base: (k: number) => Value) => (k: number) => (t.writes.has(k) ? t.writes.get(k)! : base(k));
  const buffer = (t: Running) => (k: number, v: Value) => void t.writes.set(k, v);
  /** Own appends to k, in order (list-append). */
  const ownAppends = (t: Running, k: number) => t.mops.filter((m) => m[0] === 'append' && m[1] === k).map((m) => m[2] as number);

  const commit = (t: Running): boolean => {
    switch (opts.mode) {
      case 'serializable':
      case 'no-isolation':
        return true;
      case 'snapshot-isolation':
        for (const k of t.writes.keys()) if ((lastCommit.get(k) ?? -1) > t.snapshotSeq) return false;
        break;
    }
    commitSeq++;
    for (const k of t.writes.keys()) {
      if (workload === 'list-append' && opts.mode === 'read-committed') {
        state.set(k, [...((read(k) as number[] | null) ?? []), ...ownAppends(t, k)]);
      } else state.set(k, t.writes.get(k)!);
      lastCommit.set(k, commitSeq);
    }
    return true;
  };

  const finish = (t: Running) => {
    running.delete(t.process);
    let ok = commit(t);
    if (ok && opts.mode === 'no-isolation' && rnd.float() < (opts.abortRate ?? 0.2)) {
      for (let i = t.undo.length - 1; i >= 0; i--) t.undo[i]();
      ok = false;
    }
    emit(t.process, ok ? 'ok' : 'fail', t.mops.map((m) => [...m]));
  };

  while (started < opts.txns || running.size > 0) {
    const p = rnd.int(processes);
    const t = running.get(p);
    if (!t) {
      if (started >= opts.txns) continue;
      started++;
      const mops = newTxn();
      emit(p, 'invoke', mops.map((m) => (m[0] === 'r' ? ['r', m[1], null] : [...m])));
      const snap = opts.mode === 'snapshot-isolation' || opts.mode === 'lost-update' ? new Map(state) : undefined;
      running.set(p, { process: p, mops, cursor: 0, snapshot: snap, snapshotSeq: commitSeq, writes: new Map(), undo: [] });
      continue;
    }
    if (t.cursor === t.mops.length) {
      finish(t);
      continue;
    }
    switch (opts.mode) {
      case 'serializable': // all at once, against committed state
        while (t.cursor < t.mops.length) step(t, read, (k, v) => void state.set(k, v));
        break;
      case 'snapshot-isolation':
      case 'lost-update':
        step(t, ownView(t, (k) => t.snapshot!.get(k) ?? null), buffer(t));
        break;
      case 'read-committed': // latest committed state plus own writes so far
        step(t, (k) => {
          if (workload === 'rw-register') return ownView(t, read)(k);
          const own = t.mops.slice(0, t.cursor).filter((m) => m[0] === 'append' && m[1] === k).map((m) => m[2] as number);
          return [...((read(k) as number[] | null) ?? []), ...own];
        }, buffer(t));
        break;
      case 'no-isolation':
        step(t, read, (k, v) => {
          const m = t.mops[t.cursor - 1];
          t.undo.push(() => {
            const cur = state.get(k);
            if (Array.isArray(cur)) state.set(k, cur.filter((x) => x !== m[2]));
            else if (cur === m[2]) state.delete(k);
          });
          state.set(k, v);
        });
        break;
    }
  }
  return history;
}
