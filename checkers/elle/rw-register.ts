// rw-register analysis. Transactions write unique values ([w k v]) and read
// single values ([r k v], nil = initial state). A read shows only the latest
// value, so the version order is known only partially, from what is sound:
//   - the initial state precedes every write;
//   - a transaction's successive writes to a key are ordered;
//   - optionally (wfrKeys) a transaction that read v and then wrote v' put v' after v;
//   - optionally (sequentialKeys, when the store promises per-key sequential
//     consistency) a process meets each key's versions in order: the last
//     version one of its committed transactions left a key at precedes the
//     first version its next transaction on that key reads or writes;
//   - optionally (linearizableKeys, when the store promises per-key
//     linearizability) a write or read that completed before a write began
//     precedes that write.
// From that partial order come ww edges, rw edges (a read of v precedes every
// direct successor of v) and wr edges (writer of v -> reader).
import type { EdgeBuilder } from './graph.ts';
import { AnomalyLog, ednText, introduce, mopText } from './anomalies.ts';
import type { DataDependencies, EdgeEvidence } from './dependencies.ts';
import type { Txns } from './txns.ts';
import { WW, WR, RW, type Element, type Key, type Txn } from './types.ts';
import { foreignMicroOp } from './workload.ts';

export interface RwRegisterOptions {
  /** Writes follow reads within a transaction: read v then write v' means v < v'. */
  wfrKeys?: boolean;
  /** Each key is sequentially consistent: each process's order of transactions orders versions (Elle's sequential-keys?). */
  sequentialKeys?: boolean;
  /** Each key is linearizable: real-time order of completed ops orders versions. */
  linearizableKeys?: boolean;
}

const INIT = Symbol('nil');
type Version = Element | typeof INIT;
type Reason = 'txn' | 'wfr' | 'sequential' | 'linearizable';

/** What one transaction did to one key: the first version it read or wrote, and the version it left. */
interface Touch {
  first: Version;
  value: Version;
  wrote: boolean;
}

interface Write {
  txn: Txn;
  intermediate: boolean;
}

interface KeyState {
  writes: Map<Element, Write>;
  /** Known direct version order: a -> (b -> why a < b). INIT precedes all writes implicitly. */
  after: Map<Version, Map<Version, Reason>>;
  /** External reads of the key: reader and the version it saw. */
  reads: Array<{ txn: Txn; version: Version }>;
}

export function analyzeRwRegister(txns: Txns, edges: EdgeBuilder, log: AnomalyLog, opts: RwRegisterOptions = {}): DataDependencies {
  const keys = new Map<Key, KeyState>();
  const state = (k: Key): KeyState => {
    let s = keys.get(k);
    if (!s) keys.set(k, (s = { writes: new Map(), after: new Map(), reads: [] }));
    return s;
  };
  const relate = (ks: KeyState, a: Version, b: Version, why: Reason) => {
    if (a === b) return;
    let m = ks.after.get(a);
    if (!m) ks.after.set(a, (m = new Map()));
    if (!m.has(b)) m.set(b, why);
  };

  // 1. Writers, writes within a transaction, external reads, internal consistency.
  // With sequentialKeys, what each committed or unknown transaction did per key (by id).
  const touches: Array<Map<Key, Touch>> = [];
  for (const list of [txns.nodes, txns.failed]) {
    for (const t of list) {
      const local = new Map<Key, Touch>();
      for (let i = 0; i < t.mops.length; i++) {
        const m = t.mops[i];
        const k = m[1];
        const ks = state(k);
        const before = local.get(k);
        if (m[0] === 'w') {
          const later = t.mops.slice(i + 1).some((n) => n[0] === 'w' && n[1] === k);
          if (!ks.writes.has(m[2])) ks.writes.set(m[2], { txn: t, intermediate: later });
          if (before?.wrote) relate(ks, before.value, m[2], 'txn');
          else if (before && opts.wfrKeys && t.type !== 'fail') relate(ks, before.value, m[2], 'wfr');
          local.set(k, { first: before ? before.first : m[2], value: m[2], wrote: true });
        } else if (m[0] !== 'r') {
          throw foreignMicroOp('rw-register', t, `an append ${mopText(m)}`);
        } else if (t.type === 'ok') {
          if (Array.isArray(m[2])) throw foreignMicroOp('rw-register', t, `a read of a list ${mopText(m)}`);
          const seen: Version = m[2] === null || m[2] === undefined ? INIT : (m[2] as Element);
          if (before) {
            if (before.value !== seen) {
              const { refs, text } = introduce([t]);
              log.add('internal', () => ({
                key: k, txns: refs,
                explanation: `${text} It read key ${ednText(k)} = ${versionText(seen)} after its own ${before.wrote ? 'write' : 'read'} of ${versionText(before.value)}, with no write of its own in between.`,
              }));
            }
          } else {
            ks.reads.push({ txn: t, version: seen });
            local.set(k, { first: seen, value: seen, wrote: false });
          }
        }
      }
      if (opts.sequentialKeys && t.type !== 'fail') touches[t.id] = local;
    }
  }

  // 2a. Per-key sequential consistency (optional): each process's order.
  if (opts.sequentialKeys) {
    const leftAt = new Map<Txn['process'], Map<Key, Version>>(); // process -> key -> version its last committed txn left
    for (const t of txns.nodes) {
      // Nodes are in invoke order, and a process runs one transaction at a time.
      let left = leftAt.get(t.process);
      if (!left) leftAt.set(t.process, (left = new Map()));
      for (const [k, touch] of touches[t.id]) {
        const previous = left.get(k);
        if (previous !== undefined) relate(state(k), previous, touch.first, 'sequential');
        // An unknown outcome may take effect at any later time: no order from it.
        if (t.type === 'ok') left.set(k, touch.value);
      }
    }
  }

  // 2b. Per-key linearizability (optional): completed-before-invoked orders versions.
  if (opts.linearizableKeys) {
    for (const ks of keys.values()) {
      const finals = [...ks.writes].filter(([, w]) => !w.intermediate && w.txn.type === 'ok');
      for (const [v2, w2] of finals) {
        for (const [v1, w1] of finals) if (w1.txn.completeIndex < w2.txn.invokeIndex) relate(ks, v1, v2, 'linearizable');
        for (const r of ks.reads) if (r.txn.completeIndex < w2.txn.invokeIndex) relate(ks, r.version, v2, 'linearizable');
      }
    }
  }

  // 3. Edges, key by key; anomalies seen in single reads.
  for (const [k, ks] of keys) {
    if (hasCycle(ks)) {
      log.add('cyclic-versions', () => ({ key: k, explanation: `The version order inferred for key ${ednText(k)} contains a cycle: the inference options assumed more than the store provides, or writes were not unique.` }));
      continue;
    }
    for (const [a, succ] of ks.after) {
      if (a === INIT) continue;
      const wa = ks.writes.get(a);
      for (const b of succ.keys()) {
        const wb = ks.writes.get(b as Element);
        if (wa && wb && wa.txn.type !== 'fail' && wb.txn.type !== 'fail') edges.add(wa.txn.id, wb.txn.id, WW);
      }
    }
    for (const { txn: t, version } of ks.reads) {
      if (version !== INIT) {
        const w = ks.writes.get(version);
        if (!w) {
          log.add('garbage-read', () => ({ key: k, value: version, explanation: `A read of key ${ednText(k)} saw ${ednText(version)}, which no transaction wrote.` }));
          continue;
        }
        if (w.txn === t) continue; // its own later write: a future read, caught as internal
        if (w.txn.type === 'fail') {
          const { refs, names, text } = introduce([w.txn, t]);
          log.add('G1a', () => ({ key: k, value: version, txns: refs, explanation: `${text} ${names.get(t)} read ${names.get(w.txn)}'s write of ${ednText(version)} to key ${ednText(k)}, but ${names.get(w.txn)} failed: an aborted read.` }));
          continue;
        }
        edges.add(w.txn.id, t.id, WR);
        if (w.intermediate) {
          const { refs, names, text } = introduce([w.txn, t]);
          log.add('G1b', () => ({ key: k, value: version, txns: refs, explanation: `${text} ${names.get(t)} read ${ednText(version)} from key ${ednText(k)}, a value ${names.get(w.txn)} overwrote later in the same transaction: an intermediate read.` }));
        }
      }
      for (const b of successors(ks, version)) {
        const wb = ks.writes.get(b);
        if (wb && wb.txn !== t && wb.txn.type !== 'fail') edges.add(t.id, wb.txn.id, RW);
      }
    }
  }
  findLostUpdates(keys, log);

  const limits = [
    'rw-register: a read shows only the latest value, so the version order is known only from the initial state, writes within one transaction' +
      (opts.wfrKeys ? ', writes that follow reads' : '') +
      (opts.sequentialKeys ? ', per-key process order' : '') +
      (opts.linearizableKeys ? ' and per-key real-time order' : '') +
      '. Writes nobody read stay unordered: ww/rw edges between them, and cycles through them (e.g. G0 between blind writes), cannot be inferred.',
  ];
  return { limits, explain: (from, to, kind, names) => explainEdge(keys, from, to, kind, names) };
}

/**
 * Two committed transactions that read the same version of a key and then
 * both wrote it: each update was made without seeing the other. Found from
 * the reads alone, whatever else is wrong with them (a garbage or aborted
 * read, versions in a cycle): such a read still shows what the writer built on.
 */
function findLostUpdates(keys: Map<Key, KeyState>, log: AnomalyLog): void {
  for (const [k, ks] of keys) {
    let byVersion: Map<Version, Txn[]> | undefined; // most keys have no read-then-write: no Map for them
    for (const { txn: t, version } of ks.reads) {
      // Reads are external (nothing of its own on k before): any write of k comes after.
      if (!t.mops.some((m) => m[0] === 'w' && m[1] === k)) continue;
      const group = (byVersion ??= new Map()).get(version);
      if (group) group.push(t);
      else byVersion.set(version, [t]);
    }
    if (!byVersion) continue;
    for (const [version, group] of byVersion) {
      if (group.length < 2) continue;
      const { refs, names, text } = introduce(group);
      log.add('lost-update', () => ({
        key: k, value: version === INIT ? null : version, txns: refs,
        explanation: `${text} ${[...names.values()].join(' and ')} all read key ${ednText(k)} = ${versionText(version)} and then wrote it: each update was made without seeing the others.`,
      }));
    }
  }
}

function versionText(v: Version): string {
  return v === INIT ? 'nil' : ednText(v);
}

/** Direct successors of a version: INIT precedes every write that has no known predecessor. */
function successors(ks: KeyState, v: Version): Element[] {
  const direct = [...(ks.after.get(v)?.keys() ?? [])] as Element[];
  if (v !== INIT) return direct;
  const hasPred = new Set<Version>();
  for (const [a, succ] of ks.after) if (a !== INIT) for (const b of succ.keys()) hasPred.add(b);
  const roots = [...ks.writes.keys()].filter((w) => !hasPred.has(w));
  return [...new Set([...direct, ...roots])];
}

function hasCycle(ks: KeyState): boolean {
  // The initial state precedes every version: a version before it closes a cycle.
  for (const [a, succ] of ks.after) if (a !== INIT && succ.has(INIT)) return true;
  const color = new Map<Version, number>(); // 1 on stack, 2 done
  for (const start of ks.after.keys()) {
    if (color.has(start)) continue;
    const stack: Array<[Version, Iterator<Version>]> = [[start, (ks.after.get(start) ?? new Map()).keys()]];
    color.set(start, 1);
    while (stack.length) {
      const [v, it] = stack[stack.length - 1];
      const n = it.next();
      if (n.done) {
        color.set(v, 2);
        stack.pop();
        continue;
      }
      const c = color.get(n.value);
      if (c === 1) return true;
      if (c === undefined) {
        color.set(n.value, 1);
        stack.push([n.value, (ks.after.get(n.value) ?? new Map()).keys()]);
      }
    }
  }
  return false;
}

const REASONS: Record<Reason, string> = {
  txn: 'it was written later in the same transaction',
  wfr: 'its writer had read the earlier value first',
  sequential: 'one process met the earlier version first, and keys are sequentially consistent',
  linearizable: 'the earlier operation completed before the later write began, and keys are linearizable',
};

function explainEdge(keys: Map<Key, KeyState>, from: Txn, to: Txn, kind: number, names: ReadonlyMap<Txn, string>): EdgeEvidence | undefined {
  const a = names.get(from), b = names.get(to);
  for (const [k, ks] of keys) {
    if (kind === WW) {
      for (const m of from.mops) {
        if (m[0] !== 'w' || m[1] !== k) continue;
        for (const [v2, why] of ks.after.get(m[2]) ?? []) {
          if (ks.writes.get(v2 as Element)?.txn === to)
            return { key: k, value: v2, why: `${b}'s write of ${versionText(v2)} to key ${ednText(k)} follows ${a}'s write of ${ednText(m[2])} (${REASONS[why]})` };
        }
      }
    } else {
      const reader = kind === WR ? to : from;
      for (const r of ks.reads) {
        if (r.txn !== reader) continue;
        if (kind === WR && r.version !== INIT && ks.writes.get(r.version)?.txn === from)
          return { key: k, value: r.version, why: `${b} read ${a}'s write of ${ednText(r.version)} to key ${ednText(k)}` };
        if (kind === RW)
          for (const s of successors(ks, r.version))
            if (ks.writes.get(s)?.txn === to) {
              const reason = ks.after.get(r.version)?.get(s);
              const because = r.version === INIT ? ' (the initial state)' : reason ? ` (${ednText(s)} is later: ${REASONS[reason]})` : '';
              return { key: k, value: s, why: `${a} read key ${ednText(k)} = ${versionText(r.version)}${because} and so did not observe ${b}'s later write of ${ednText(s)}` };
            }
      }
    }
  }
  return undefined;
}
