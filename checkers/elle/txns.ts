// Turn a history (invoke + completion ops) into transactions. Only f = 'txn'
// ops count; an invoke without a completion is treated like 'info'.
import type { Op } from '../../history/index.ts';
import { keyInterner } from './keys.ts';
import type { Key, MicroOp, Txn } from './types.ts';

export interface Txns {
  /** ok and info transactions; txns[i].id === i (the graph's nodes). */
  nodes: Txn[];
  /** Failed transactions: they did not happen, their writes must stay invisible. */
  failed: Txn[];
}

/**
 * Read a micro-op list, accepting Elle's keyword spellings (':append', ':r',
 * ':w'); with `intern`, composite keys become one object per value (keys.ts).
 */
export function toMicroOps(value: unknown, where: string, intern?: (k: Key) => Key): MicroOp[] {
  if (!Array.isArray(value)) throw new Error(`${where}: a txn value must be a list of micro-ops, got ${JSON.stringify(value)}`);
  // Histories are large: reuse the arrays as they are unless a name or a key needs fixing.
  let copy: MicroOp[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const m: unknown = value[i];
    if (!Array.isArray(m) || m.length !== 3) throw new Error(`${where}: micro-op ${i} is not [f key value]: ${JSON.stringify(m)}`);
    const f = m[0];
    const key = intern && typeof m[1] === 'object' && m[1] !== null ? intern(m[1] as Key) : m[1];
    if ((f === 'append' || f === 'r' || f === 'w') && key === m[1]) continue;
    const name = String(f).replace(/^:/, '');
    if (name !== 'append' && name !== 'r' && name !== 'w') throw new Error(`${where}: unknown micro-op ${JSON.stringify(f)}`);
    copy ??= value.slice() as MicroOp[];
    copy[i] = [name, key, m[2]] as MicroOp;
  }
  return copy ?? (value as MicroOp[]);
}

export function collectTxns(history: readonly Op[]): Txns {
  // Each invoke takes the next slot, so ok and info transactions come out in
  // invoke order without a sort of a million objects. Until numbered, a
  // node's id is its creation order, for histories whose indices need the sort.
  const open = new Map<unknown, number>(); // process -> slot of its pending invoke
  const invokeOps: Op[] = [];
  const invokePositions: number[] = [];
  const slots: Array<Txn | undefined> = [];
  const failed: Txn[] = [];
  const intern = keyInterner();
  let created = 0;
  const add = (slot: number, type: Txn['type'], completeIndex: number, value: unknown) => {
    const invoke = invokeOps[slot], invokePos = invokePositions[slot];
    const txn: Txn = {
      id: type === 'fail' ? -1 : created++,
      type,
      process: typeof invoke.process === 'number' || typeof invoke.process === 'string' ? invoke.process : String(invoke.process),
      invokeIndex: invoke.index ?? invokePos,
      completeIndex,
      mops: toMicroOps(value, `op ${invoke.index ?? invokePos}`, intern),
    };
    if (type === 'fail') failed.push(txn);
    else slots[slot] = txn;
  };
  for (let pos = 0; pos < history.length; pos++) {
    const op = history[pos];
    if (op.f !== 'txn' || op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      const prev = open.get(op.process);
      if (prev !== undefined) add(prev, 'info', Infinity, invokeOps[prev].value);
      open.set(op.process, invokeOps.length);
      invokeOps.push(op);
      invokePositions.push(pos);
      slots.push(undefined);
      continue;
    }
    const slot = open.get(op.process);
    if (slot === undefined) throw new Error(`op ${op.index}: a ${op.type} completion of process ${op.process} without an invoke`);
    open.delete(op.process);
    const inv = invokeOps[slot];
    const index = op.index ?? pos;
    if (op.type === 'ok') add(slot, 'ok', index, op.value);
    // An info completion's reads are unknown: keep its writes, drop its read results.
    else if (op.type === 'info') add(slot, 'info', Infinity, stripReads(op.value ?? inv.value));
    else add(slot, 'fail', index, op.value ?? inv.value);
  }
  for (const slot of open.values()) add(slot, 'info', Infinity, stripReads(invokeOps[slot].value));
  const nodes: Txn[] = [];
  let sorted = true;
  for (const t of slots) {
    if (!t) continue;
    if (nodes.length && !(t.invokeIndex > nodes[nodes.length - 1].invokeIndex)) sorted = false;
    nodes.push(t);
  }
  // Keep node ids in invoke order so reports list transactions as they happened.
  if (!sorted) {
    nodes.sort((a, b) => a.id - b.id);
    nodes.sort((a, b) => a.invokeIndex - b.invokeIndex);
  }
  nodes.forEach((t, i) => (t.id = i));
  return { nodes, failed };
}

function stripReads(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((m) => (Array.isArray(m) && String(m[0]).replace(/^:/, '') === 'r' ? [m[0], m[1], null] : m));
}
