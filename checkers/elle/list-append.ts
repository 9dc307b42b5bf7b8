// list-append analysis. Transactions append unique values to lists and read
// whole lists, so every read reveals a prefix of the key's version order: the
// longest read is the order, and every other read must be a prefix of it.
// From that order come ww edges (consecutive appends), wr edges (the last
// element a read saw) and rw edges (the element right after it, which the
// read missed). Anomalies visible without cycles are logged on the way.
import { int32Array } from './buffers.ts';
import { DenseMap } from './dense-map.ts';
import type { EdgeBuilder } from './graph.ts';
import { AnomalyLog, ednText, introduce, mopText } from './anomalies.ts';
import type { DataDependencies, EdgeEvidence } from './dependencies.ts';
import type { Txns } from './txns.ts';
import { WW, WR, RW, type Element, type Key, type Txn } from './types.ts';
import { foreignMicroOp } from './workload.ts';

interface KeyState {
  key: Key;
  /**
   * Who appended each value (appends are unique per key): the first writer,
   * as a slot of `writer`/`code`. One transaction's slots are contiguous.
   */
  writes: DenseMap<number>;
  writer: Txn[];
  /** Per slot, what the hot loops need of the writer without touching it (see writerCode). */
  code: number[];
  /** Longest read list: the version order as far as reads reveal it. */
  order: Element[];
  /** slotAt[i]: slot of order[i], -1 when nobody appended it (built with firstAt). */
  slotAt?: number[];
  /** firstAt[s]: first position of slot s's value in `order`, -1 when no read saw it. */
  firstAt?: number[];
  /** Ids of the committed transactions whose appends to this key no read saw (they come last). */
  unseen?: number[];
  /** Some failed transaction appended to this key: reads need a closer look. */
  failedWrites: boolean;
  /** The longest read repeats an element. */
  duplicates?: boolean;
}

const INITIAL = Symbol('initial');

// A writer's code: FAILED, or its id * 4 + OK (committed, not info) + AGAIN
// (it appended to the key again afterwards, so this value was an intermediate state).
const FAILED = -1, OK = 2, AGAIN = 1;
const writerCode = (t: Txn, again: boolean) => (t.type === 'fail' ? FAILED : t.id * 4 + (t.type === 'ok' ? OK : 0) + (again ? AGAIN : 0));
const idOf = (code: number) => (code - (code & 3)) / 4;

const newKeyState = (key: Key): KeyState => ({ key, writes: new DenseMap(), writer: [], code: [], order: [], failedWrites: false });
/** A key nothing appended to and no read saw a list of: only nil reads of it. */
const untouchedKey = (key: Key): KeyState => ({ ...newKeyState(key), slotAt: [], firstAt: [], unseen: [] });

function writerOf(ks: KeyState, v: Element): Txn | undefined {
  const s = ks.writes.get(v);
  return s === undefined ? undefined : ks.writer[s];
}

function positionOf(ks: KeyState, v: Element): number | undefined {
  const s = ks.writes.get(v);
  const p = s === undefined ? ks.order.indexOf(v) : ks.firstAt![s];
  return p < 0 ? undefined : p;
}

// What a read's transaction does to the read's key elsewhere (flags per read).
const APPENDS = 1, BEFORE = 2, AFTER = 4;

export function analyzeListAppend(txns: Txns, edges: EdgeBuilder, log: AnomalyLog): DataDependencies {
  const nodes = txns.nodes;
  const keys = new DenseMap<KeyState>();
  const keyList: KeyState[] = []; // in first-use order: the order anomalies are reported in
  const state = (k: Key): KeyState => {
    let s = keys.get(k);
    if (!s) {
      keys.set(k, (s = newKeyState(k)));
      keyList.push(s);
    }
    return s;
  };

  // 1. Writers of every value. On the way, the reads of committed
  //    transactions, in order, with what the later passes need of each: they
  //    then never walk the history (a cache miss per object) again.
  const readTxn: number[] = [];
  const readAt: number[] = [];
  const readKey: Key[] = [];
  const readList: unknown[] = []; // the value read; checked for a list in pass 2, which loads it anyway
  const readFlags: number[] = [];
  for (const list of [nodes, txns.failed]) {
    for (const t of list) {
      const mops = t.mops;
      for (let i = 0; i < mops.length; i++) {
        const m = mops[i];
        if (m[0] === 'append') {
          const ks = state(m[1]);
          if (ks.writes.get(m[2]) === undefined) {
            ks.writes.set(m[2], ks.writer.length);
            ks.writer.push(t);
            ks.code.push(writerCode(t, appendsLater(t, i, m[1])));
          }
          if (t.type === 'fail') ks.failedWrites = true;
        } else if (m[0] === 'r') {
          if (t.type !== 'ok') continue;
          readTxn.push(t.id);
          readAt.push(i);
          readKey.push(m[1]);
          readList.push(m[2]);
          readFlags.push(readFlagsOf(t, i, m[1]));
        } else throw foreignMicroOp('list-append', t, `a write ${mopText(m)}`);
      }
    }
  }
  // The longest read, counting only what others appended: a transaction's own
  // appends at the tail of its read need not be where they land in the order
  // (under read committed, others may commit in between).
  const reads = readTxn.length;
  const readState: Array<KeyState | undefined> = new Array(reads);
  const readExt = int32Array(reads);
  for (let r = 0; r < reads; r++) {
    const list = readList[r];
    if (!Array.isArray(list)) {
      // Counting a register's value as the empty list would hide every read of it.
      if (list !== null && list !== undefined) throw foreignMicroOp('list-append', nodes[readTxn[r]], `a read of a single value ${mopText(nodes[readTxn[r]].mops[readAt[r]])}, not a list`);
      readList[r] = null;
      continue;
    }
    const ks = state(readKey[r]);
    const ext = readFlags[r] & APPENDS ? externalLength(nodes[readTxn[r]], list, ks) : list.length;
    readState[r] = ks;
    readExt[r] = ext;
    if (ext > ks.order.length) ks.order = list.slice(0, ext);
  }

  // 2. Per key: positions, then what the order itself shows (aborted or
  //    unknown values in it, dirty updates) and the ww edges along it.
  for (const ks of keyList) {
    const { key: k, order, code } = ks;
    const slotAt: number[] = new Array(order.length);
    const firstAt: number[] = new Array(code.length).fill(-1);
    let duplicate = false;
    let unknown: Set<Element> | undefined; // values nobody appended, seen so far
    for (let i = 0; i < order.length; i++) {
      const s = ks.writes.get(order[i]);
      if (s === undefined) {
        slotAt[i] = -1;
        unknown ??= new Set();
        if (unknown.has(order[i])) duplicate = true;
        else unknown.add(order[i]);
      } else {
        slotAt[i] = s;
        if (firstAt[s] >= 0) duplicate = true;
        else firstAt[s] = i;
      }
    }
    ks.slotAt = slotAt;
    ks.firstAt = firstAt;
    ks.duplicates = duplicate;
    if (duplicate) continue; // reported per read below
    // Committed appends no read saw must come after everything reads saw:
    // any later read would have included them.
    const unseen: number[] = [];
    for (let s = 0; s < code.length; s++) {
      if (code[s] !== FAILED && code[s] & OK && firstAt[s] < 0 && unseen[unseen.length - 1] !== idOf(code[s])) unseen.push(idOf(code[s]));
    }
    ks.unseen = unseen;
    let prev = -1; // slot of the previous version, -1 for none (or unknown)
    for (let i = 0; i < order.length; i++) {
      const s = slotAt[i];
      if (s < 0) {
        log.add('garbage-read', () => ({
          key: k, value: order[i],
          explanation: `A read of key ${ednText(k)} saw ${ednText(order[i])}, which no transaction appended.`,
        }));
      } else if (code[s] === FAILED && i + 1 < order.length) {
        const n = slotAt[i + 1];
        if (n >= 0 && code[n] !== FAILED) {
          const w = ks.writer[s], next = ks.writer[n];
          const { refs, names, text } = introduce([w, next]);
          log.add('dirty-update', () => ({
            key: k, txns: refs,
            explanation: `${text} ${names.get(w)} failed, yet its append of ${ednText(order[i])} to key ${ednText(k)} was followed in the version order by ${names.get(next)}'s append of ${ednText(order[i + 1])}: a committed write built on an aborted one.`,
          }));
        }
      }
      if (s >= 0 && prev >= 0 && code[prev] !== FAILED && code[s] !== FAILED && idOf(code[prev]) !== idOf(code[s])) edges.add(idOf(code[prev]), idOf(code[s]), WW);
      prev = s;
    }
    if (prev >= 0 && code[prev] !== FAILED) for (const u of unseen) edges.add(idOf(code[prev]), u, WW);
  }

  // 3. Reads, transaction by transaction: internal consistency, then wr/rw edges.
  // Per key and version read: the first read-then-append transaction, or all of them once there are two.
  const lostUpdate = new Map<Key, Map<Element | typeof INITIAL, Txn | Txn[]>>();
  const none: Element[] = [];
  for (let r = 0; r < reads; r++) {
    const id = readTxn[r];
    const i = readAt[r];
    const k = readKey[r];
    const list = (readList[r] ?? none) as Element[];
    // A nil read of a key nothing else touched: nothing to compare it with.
    const ks = readState[r] ?? keys.get(k) ?? untouchedKey(k);
    const ext = readExt[r];
    const flags = readFlags[r];
    // Read-then-append of the same key from the same version: a lost update
    // candidate, whatever else is wrong with the read (checked next).
    if (!(flags & BEFORE) && flags & AFTER) {
      const t = nodes[id];
      let byVersion = lostUpdate.get(k);
      if (!byVersion) lostUpdate.set(k, (byVersion = new Map()));
      const version = ext > 0 ? list[ext - 1] : INITIAL;
      const group = byVersion.get(version);
      if (group === undefined) byVersion.set(version, t);
      else if (Array.isArray(group)) group.push(t);
      else byVersion.set(version, [group, t]);
    }
    if (!checkRead(nodes[id], i, k, list, ext, flags, ks, log)) continue;
    // The read is a prefix of the order: its versions are the order's.
    if (ext > 0) {
      const s = ks.slotAt![ext - 1];
      const c = s < 0 ? FAILED : ks.code[s];
      if (c !== FAILED && idOf(c) !== id) {
        edges.add(idOf(c), id, WR);
        if (c & AGAIN) {
          const t = nodes[id], w = ks.writer[s];
          const { refs, names, text } = introduce([w, t]);
          log.add('G1b', () => ({
            key: k, txns: refs,
            explanation: `${text} ${names.get(t)} read key ${ednText(k)} = ${ednText(list)}, ending in ${names.get(w)}'s append of ${ednText(list[ext - 1])}, which ${names.get(w)} followed with another append to the same key: an intermediate read.`,
          }));
        }
      }
    }
    if (ext < ks.order.length) {
      const s = ks.slotAt![ext];
      const c = s < 0 ? FAILED : ks.code[s];
      if (c !== FAILED && idOf(c) !== id) edges.add(id, idOf(c), RW);
    } else for (const u of ks.unseen!) edges.add(id, u, RW);
  }
  for (const [k, byVersion] of lostUpdate) {
    for (const [version, group] of byVersion) {
      if (!Array.isArray(group)) continue;
      const { refs, names, text } = introduce(group);
      const seen = version === INITIAL ? 'the empty list' : `the version ending in ${ednText(version)}`;
      log.add('lost-update', () => ({
        key: k, txns: refs,
        explanation: `${text} ${[...names.values()].join(' and ')} all read ${seen} of key ${ednText(k)} and then appended to it: each update was made without seeing the others.`,
      }));
    }
  }

  return {
    limits: [],
    explain: (from, to, kind, names) => explainEdge(keys, from, to, kind, names),
  };
}

/** Length of the read's prefix written by others: drop the reader's own appends at the tail. */
function externalLength(t: Txn, list: Element[], ks: KeyState): number {
  let n = list.length;
  while (n > 0 && writerOf(ks, list[n - 1]) === t) n--;
  return n;
}

/**
 * What `t` does to key `k` besides its read at `i`: APPENDS (anywhere, keys
 * compared as Map keys are; if not, its reads of `k` are all external),
 * BEFORE (any micro-op on `k` before `i`), AFTER (an append to `k` after `i`).
 */
function readFlagsOf(t: Txn, i: number, k: Key): number {
  const mops = t.mops;
  let flags = 0;
  for (let j = 0; j < mops.length; j++) {
    const m = mops[j];
    const same = m[1] === k;
    if (same && j < i) flags |= BEFORE;
    if (m[0] === 'append') {
      if (same || (m[1] !== m[1] && k !== k)) flags |= APPENDS;
      if (same && j > i) flags |= AFTER;
    }
  }
  return flags;
}

function appendsLater(t: Txn, i: number, k: Key): boolean {
  for (let j = i + 1; j < t.mops.length; j++) if (t.mops[j][0] === 'append' && t.mops[j][1] === k) return true;
  return false;
}

function reportAbortedRead(log: AnomalyLog, reader: Txn, writer: Txn, k: Key, v: Element): void {
  const { refs, names, text } = introduce([writer, reader]);
  log.add('G1a', () => ({
    key: k, value: v, txns: refs,
    explanation: `${text} ${names.get(reader)} read ${names.get(writer)}'s append of ${ednText(v)} to key ${ednText(k)}, but ${names.get(writer)} failed: an aborted read.`,
  }));
}

/**
 * Checks one read on its own: no duplicates, its external part (`ext`
 * elements, before the reader's own appends) a prefix of the version order,
 * consistent with the transaction's earlier micro-ops on the key, no value
 * from a failed transaction. Returns false when the read must not feed edges.
 */
function checkRead(t: Txn, i: number, k: Key, list: Element[], ext: number, flags: number, ks: KeyState, log: AnomalyLog): boolean {
  const order = ks.order;
  let prefix = true;
  for (let j = 0; j < ext; j++) if (list[j] !== order[j]) { prefix = false; break; }
  // A prefix of a duplicate-free order holds no duplicates, and the reader's
  // own (unique) appends cannot repeat others' elements: look closer only otherwise.
  if ((!prefix || ks.duplicates || list.length - ext > 1) && list.length > 1 && new Set(list).size !== list.length) {
    const { refs, text } = introduce([t]);
    log.add('duplicate-elements', () => ({ key: k, txns: refs, explanation: `${text} Its read of key ${ednText(k)} = ${ednText(list)} holds the same element twice, but appended values are unique.` }));
    return false;
  }
  if (!prefix) {
    const { refs, text } = introduce([t]);
    log.add('incompatible-order', () => ({
      key: k, txns: refs, values: [list, order],
      explanation: `${text} Its read of key ${ednText(k)} = ${ednText(list)} is not a prefix of another read ${ednText(order)}: the two cannot come from one sequence of appends.`,
    }));
  }
  // Values from failed transactions anywhere in the read (compatible or not).
  if (ks.failedWrites) {
    for (const v of list) {
      const w = writerOf(ks, v);
      if (w && w.type === 'fail') reportAbortedRead(log, t, w, k, v);
    }
  }
  if (!prefix) return false;
  // What the transaction itself did to k before this read (most reads: nothing).
  if (flags & BEFORE && !consistentWithOwnPast(t, i, k, list, log)) return false;
  // A value the transaction appends only later: it read its own future.
  if (flags & AFTER) for (let j = i + 1; j < t.mops.length; j++) {
    const m = t.mops[j];
    if (m[0] === 'append' && m[1] === k && list.includes(m[2])) {
      const { refs, text } = introduce([t]);
      log.add('future-read', () => ({ key: k, txns: refs, explanation: `${text} Its read of key ${ednText(k)} = ${ednText(list)} already holds ${ednText(m[2])}, which it appends only later.` }));
      return false;
    }
  }
  return true;
}

/** A read must extend the transaction's last read of the key by exactly its own appends since. */
function consistentWithOwnPast(t: Txn, i: number, k: Key, list: Element[], log: AnomalyLog): boolean {
  let lastRead: Element[] | null = null;
  const appended: Element[] = [];
  for (let j = 0; j < i; j++) {
    const m = t.mops[j];
    if (m[1] !== k) continue;
    if (m[0] === 'r') {
      lastRead = Array.isArray(m[2]) ? m[2] : [];
      appended.length = 0;
    } else if (m[0] === 'append') appended.push(m[2]);
  }
  const expected = lastRead ? [...lastRead, ...appended] : null;
  const consistent = expected
    ? expected.length === list.length && expected.every((v, j) => v === list[j])
    : appended.every((v, j) => list[list.length - appended.length + j] === v);
  if (!consistent) {
    const { refs, text } = introduce([t]);
    const want = expected ? ednText(expected) : `a list ending in ${ednText(appended)}`;
    log.add('internal', () => ({
      key: k, txns: refs,
      explanation: `${text} Its read of key ${ednText(k)} = ${ednText(list)} contradicts its own earlier micro-ops, which imply ${want}.`,
    }));
  }
  return consistent;
}

function explainEdge(keys: DenseMap<KeyState>, from: Txn, to: Txn, kind: number, names: ReadonlyMap<Txn, string>): EdgeEvidence | undefined {
  const a = names.get(from), b = names.get(to);
  if (kind === WW) {
    for (const m of from.mops) {
      if (m[0] !== 'append') continue;
      const ks = keys.get(m[1])!;
      const p = positionOf(ks, m[2]);
      if (p === undefined) continue;
      if (p + 1 === ks.order.length) {
        const late = to.mops.find((n) => n[0] === 'append' && n[1] === m[1] && positionOf(ks, n[2]) === undefined);
        if (late && ks.unseen?.includes(to.id))
          return { key: m[1], value: late[2], why: `${a}'s append of ${ednText(m[2])} is the last one any read of key ${ednText(m[1])} saw, and ${b}'s committed append of ${ednText(late[2])}, which no read saw, can only come after it` };
        continue;
      }
      const next = ks.order[p + 1];
      if (writerOf(ks, next) === to)
        return { key: m[1], value: next, why: `${b} appended ${ednText(next)} to key ${ednText(m[1])} right after ${a}'s append of ${ednText(m[2])}` };
    }
  }
  if (kind === WR || kind === RW) {
    const reader = kind === WR ? to : from;
    const writer = kind === WR ? from : to;
    for (const m of reader.mops) {
      if (m[0] !== 'r' || (reader.type !== 'ok' && m[2] === null)) continue;
      const ks = keys.get(m[1]) ?? untouchedKey(m[1]);
      const list: Element[] = Array.isArray(m[2]) ? m[2] : [];
      const ext = externalLength(reader, list, ks);
      if (kind === WR && ext > 0 && writerOf(ks, list[ext - 1]) === writer)
        return { key: m[1], value: list[ext - 1], why: `${b} observed ${a}'s append of ${ednText(list[ext - 1])} to key ${ednText(m[1])}` };
      const missed = ext === 0 ? `read key ${ednText(m[1])} = ${ednText(m[2])} (the initial state) and so did not observe` : 'did not observe';
      if (kind === RW && ext < ks.order.length && writerOf(ks, ks.order[ext]) === writer)
        return { key: m[1], value: ks.order[ext], why: `${a} ${missed} ${b}'s append of ${ednText(ks.order[ext])} to key ${ednText(m[1])}` };
      if (kind === RW && ext === ks.order.length && ks.unseen?.includes(writer.id)) {
        const late = writer.mops.find((n) => n[0] === 'append' && n[1] === m[1] && positionOf(ks, n[2]) === undefined);
        if (late) return { key: m[1], value: late[2], why: `${a} ${missed} ${b}'s append of ${ednText(late[2])} to key ${ednText(m[1])}` };
      }
    }
  }
  return undefined;
}
