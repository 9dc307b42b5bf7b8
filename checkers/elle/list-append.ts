// list-append analysis. Transactions append unique values to lists and read
// whole lists, so every read reveals a prefix of the key's version order: the
// longest read is the order, and every other read must be a prefix of it.
// From that order come ww edges (consecutive appends), wr edges (the last
// element a read saw) and rw edges (the element right after it, which the
// read missed). Anomalies visible without cycles are logged on the way.
import type { EdgeBuilder } from './graph.ts';
import { AnomalyLog, ednText, introduce } from './anomalies.ts';
import type { DataDependencies, EdgeEvidence } from './dependencies.ts';
import type { Txns } from './txns.ts';
import { WW, WR, RW, type Element, type Key, type Txn } from './types.ts';

interface KeyState {
  /** Who appended each value (appends are unique per key). */
  writes: Map<Element, Txn>;
  /** Longest read list: the version order as far as reads reveal it. */
  order: Element[];
  /** Position of each element in `order` (built lazily). */
  position?: Map<Element, number>;
  /** Committed transactions whose appends to this key no read saw (they come last). */
  unseen?: Txn[];
  /** Some failed transaction appended to this key: reads need a closer look. */
  failedWrites: boolean;
  /** The longest read repeats an element. */
  duplicates?: boolean;
}

const INITIAL = Symbol('initial');

export function analyzeListAppend(txns: Txns, edges: EdgeBuilder, log: AnomalyLog): DataDependencies {
  const keys = new Map<Key, KeyState>();
  const state = (k: Key): KeyState => {
    let s = keys.get(k);
    if (!s) keys.set(k, (s = { writes: new Map(), order: [], failedWrites: false }));
    return s;
  };

  // 1. Writers of every value; the longest read of each key.
  for (const list of [txns.nodes, txns.failed]) {
    for (const t of list) {
      const mops = t.mops;
      for (let i = 0; i < mops.length; i++) {
        const m = mops[i];
        if (m[0] === 'append') {
          const ks = state(m[1]);
          if (!ks.writes.has(m[2])) ks.writes.set(m[2], t);
          if (t.type === 'fail') ks.failedWrites = true;
        }
      }
    }
  }
  // The longest read, counting only what others appended: a transaction's own
  // appends at the tail of its read need not be where they land in the order
  // (under read committed, others may commit in between).
  for (const t of txns.nodes) {
    if (t.type !== 'ok') continue;
    for (const m of t.mops) {
      if (m[0] !== 'r' || !Array.isArray(m[2])) continue;
      const ks = state(m[1]);
      const ext = externalLength(t, m[2], ks);
      if (ext > ks.order.length) ks.order = m[2].slice(0, ext);
    }
  }

  // 2. Per key: positions, then what the order itself shows (aborted or
  //    unknown values in it, dirty updates) and the ww edges along it.
  for (const [k, ks] of keys) {
    const order = ks.order;
    const position = new Map<Element, number>();
    let duplicate = false;
    for (let i = 0; i < order.length; i++) {
      if (position.has(order[i])) duplicate = true;
      else position.set(order[i], i);
    }
    ks.position = position;
    ks.duplicates = duplicate;
    if (duplicate) continue; // reported per read below
    // Committed appends no read saw must come after everything reads saw:
    // any later read would have included them.
    const unseen: Txn[] = [];
    for (const [v, w] of ks.writes) if (w.type === 'ok' && !position.has(v) && !unseen.includes(w)) unseen.push(w);
    ks.unseen = unseen;
    let prev: Txn | undefined;
    for (let i = 0; i < order.length; i++) {
      const w = ks.writes.get(order[i]);
      if (!w) {
        log.add('garbage-read', () => ({
          key: k, value: order[i],
          explanation: `A read of key ${ednText(k)} saw ${ednText(order[i])}, which no transaction appended.`,
        }));
      } else if (w.type === 'fail' && i + 1 < order.length) {
        const next = ks.writes.get(order[i + 1]);
        if (next && next.type !== 'fail') {
          const { refs, names, text } = introduce([w, next]);
          log.add('dirty-update', () => ({
            key: k, txns: refs,
            explanation: `${text} ${names.get(w)} failed, yet its append of ${ednText(order[i])} to key ${ednText(k)} was followed in the version order by ${names.get(next)}'s append of ${ednText(order[i + 1])}: a committed write built on an aborted one.`,
          }));
        }
      }
      if (w && prev && prev !== w && prev.type !== 'fail' && w.type !== 'fail') edges.add(prev.id, w.id, WW);
      prev = w;
    }
    if (prev && prev.type !== 'fail') for (const u of unseen) edges.add(prev.id, u.id, WW);
  }

  // 3. Reads, transaction by transaction: internal consistency, then wr/rw edges.
  // Per key and version read: the first read-then-append transaction, or all of them once there are two.
  const lostUpdate = new Map<Key, Map<Element | typeof INITIAL, Txn | Txn[]>>();
  for (const t of txns.nodes) {
    if (t.type !== 'ok') continue;
    const mops = t.mops;
    for (let i = 0; i < mops.length; i++) {
      const m = mops[i];
      if (m[0] !== 'r') continue;
      const k = m[1];
      const list: Element[] = Array.isArray(m[2]) ? m[2] : [];
      const ks = keys.get(k)!;
      const ext = externalLength(t, list, ks);
      if (!checkRead(t, i, k, list, ext, ks, log)) continue;
      if (ext > 0) {
        const w = ks.writes.get(list[ext - 1]);
        if (w && w !== t) {
          if (w.type !== 'fail') {
            edges.add(w.id, t.id, WR);
            if (appendsAgain(w, k, list[ext - 1])) {
              const { refs, names, text } = introduce([w, t]);
              log.add('G1b', () => ({
                key: k, txns: refs,
                explanation: `${text} ${names.get(t)} read key ${ednText(k)} = ${ednText(list)}, ending in ${names.get(w)}'s append of ${ednText(list[ext - 1])}, which ${names.get(w)} followed with another append to the same key: an intermediate read.`,
              }));
            }
          }
        }
      }
      if (ext < ks.order.length) {
        const w = ks.writes.get(ks.order[ext]);
        if (w && w !== t && w.type !== 'fail') edges.add(t.id, w.id, RW);
      } else for (const u of ks.unseen!) edges.add(t.id, u.id, RW);
      // Read-then-append of the same key from the same version: a lost update candidate.
      if (firstAccess(t, i, k) && appendsLater(t, i, k)) {
        let byVersion = lostUpdate.get(k);
        if (!byVersion) lostUpdate.set(k, (byVersion = new Map()));
        const version = ext > 0 ? list[ext - 1] : INITIAL;
        const group = byVersion.get(version);
        if (group === undefined) byVersion.set(version, t);
        else if (Array.isArray(group)) group.push(t);
        else byVersion.set(version, [group, t]);
      }
    }
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

/** Did `t` append to `k` again after appending `v`? Then `v` was an intermediate state. */
function appendsAgain(t: Txn, k: Key, v: Element): boolean {
  let seen = false;
  for (const m of t.mops) {
    if (m[0] !== 'append' || m[1] !== k) continue;
    if (seen) return true;
    if (m[2] === v) seen = true;
  }
  return false;
}

/** Length of the read's prefix written by others: drop the reader's own appends at the tail. */
function externalLength(t: Txn, list: Element[], ks: KeyState): number {
  let n = list.length;
  while (n > 0 && ks.writes.get(list[n - 1]) === t) n--;
  return n;
}

function firstAccess(t: Txn, i: number, k: Key): boolean {
  for (let j = 0; j < i; j++) if (t.mops[j][1] === k) return false;
  return true;
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
function checkRead(t: Txn, i: number, k: Key, list: Element[], ext: number, ks: KeyState, log: AnomalyLog): boolean {
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
      const w = ks.writes.get(v);
      if (w && w.type === 'fail') reportAbortedRead(log, t, w, k, v);
    }
  }
  if (!prefix) return false;
  // What the transaction itself did to k before this read (most reads: nothing).
  let touched = false;
  for (let j = 0; j < i && !touched; j++) if (t.mops[j][1] === k) touched = true;
  if (touched && !consistentWithOwnPast(t, i, k, list, log)) return false;
  // A value the transaction appends only later: it read its own future.
  for (let j = i + 1; j < t.mops.length; j++) {
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

function explainEdge(keys: Map<Key, KeyState>, from: Txn, to: Txn, kind: number, names: ReadonlyMap<Txn, string>): EdgeEvidence | undefined {
  const a = names.get(from), b = names.get(to);
  if (kind === WW) {
    for (const m of from.mops) {
      if (m[0] !== 'append') continue;
      const ks = keys.get(m[1])!;
      const p = ks.position?.get(m[2]);
            if (p === undefined) continue;
      if (p + 1 === ks.order.length) {
        const late = to.mops.find((n) => n[0] === 'append' && n[1] === m[1] && !ks.position!.has(n[2]));
        if (late && ks.unseen?.includes(to))
          return { key: m[1], value: late[2], why: `${a}'s append of ${ednText(m[2])} is the last one any read of key ${ednText(m[1])} saw, and ${b}'s committed append of ${ednText(late[2])}, which no read saw, can only come after it` };
        continue;
      }
      const next = ks.order[p + 1];
      if (ks.writes.get(next) === to)
        return { key: m[1], value: next, why: `${b} appended ${ednText(next)} to key ${ednText(m[1])} right after ${a}'s append of ${ednText(m[2])}` };
    }
  }
  if (kind === WR || kind === RW) {
    const reader = kind === WR ? to : from;
    const writer = kind === WR ? from : to;
    for (const m of reader.mops) {
      if (m[0] !== 'r' || (reader.type !== 'ok' && m[2] === null)) continue;
      const ks = keys.get(m[1])!;
      const list: Element[] = Array.isArray(m[2]) ? m[2] : [];
      const ext = externalLength(reader, list, ks);
      if (kind === WR && ext > 0 && ks.writes.get(list[ext - 1]) === writer)
        return { key: m[1], value: list[ext - 1], why: `${b} observed ${a}'s append of ${ednText(list[ext - 1])} to key ${ednText(m[1])}` };
      const missed = ext === 0 ? `read key ${ednText(m[1])} = ${ednText(m[2])} (the initial state) and so did not observe` : 'did not observe';
      if (kind === RW && ext < ks.order.length && ks.writes.get(ks.order[ext]) === writer)
        return { key: m[1], value: ks.order[ext], why: `${a} ${missed} ${b}'s append of ${ednText(ks.order[ext])} to key ${ednText(m[1])}` };
      if (kind === RW && ext === ks.order.length && ks.unseen?.includes(writer)) {
        const late = writer.mops.find((n) => n[0] === 'append' && n[1] === m[1] && !ks.position!.has(n[2]));
        if (late) return { key: m[1], value: late[2], why: `${a} ${missed} ${b}'s append of ${ednText(late[2])} to key ${ednText(m[1])}` };
      }
    }
  }
  return undefined;
}
