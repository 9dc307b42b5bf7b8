// Turn a history (invoke + completion ops) into transactions. Only f = 'txn'
// ops count; an invoke without a completion is treated like 'info'.
import type { Op } from '../../harness/op.ts';
import type { MicroOp, Txn } from './types.ts';

export interface Txns {
  /** ok and info transactions; txns[i].id === i (the graph's nodes). */
  nodes: Txn[];
  /** Failed transactions: they did not happen, their writes must stay invisible. */
  failed: Txn[];
}

/** Read a micro-op list, accepting Elle's keyword spellings (':append', ':r', ':w'). */
export function toMicroOps(value: unknown, where: string): MicroOp[] {
  if (!Array.isArray(value)) throw new Error(`${where}: a txn value must be a list of micro-ops, got ${JSON.stringify(value)}`);
  // Histories are large: reuse the arrays as they are unless a name needs fixing.
  let copy: MicroOp[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const m: unknown = value[i];
    if (!Array.isArray(m) || m.length !== 3) throw new Error(`${where}: micro-op ${i} is not [f key value]: ${JSON.stringify(m)}`);
    const f = m[0];
    if (f === 'append' || f === 'r' || f === 'w') continue;
    const name = String(f).replace(/^:/, '');
    if (name !== 'append' && name !== 'r' && name !== 'w') throw new Error(`${where}: unknown micro-op ${JSON.stringify(f)}`);
    copy ??= value.slice() as MicroOp[];
    copy[i] = [name, m[1], m[2]] as MicroOp;
  }
  return copy ?? (value as MicroOp[]);
}

export function collectTxns(history: readonly Op[]): Txns {
  const open = new Map<unknown, { op: Op; pos: number }>();
  const nodes: Txn[] = [];
  const failed: Txn[] = [];
  const add = (type: Txn['type'], invoke: Op, invokePos: number, completeIndex: number, value: unknown) => {
    const txn: Txn = {
      id: type === 'fail' ? -1 : nodes.length,
      type,
      process: typeof invoke.process === 'number' || typeof invoke.process === 'string' ? invoke.process : String(invoke.process),
      invokeIndex: invoke.index ?? invokePos,
      completeIndex,
      mops: toMicroOps(value, `op ${invoke.index ?? invokePos}`),
    };
    if (type === 'fail') failed.push(txn);
    else nodes.push(txn);
  };
  for (let pos = 0; pos < history.length; pos++) {
    const op = history[pos];
    if (op.f !== 'txn' || op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      const prev = open.get(op.process);
      if (prev) add('info', prev.op, prev.pos, Infinity, prev.op.value);
      open.set(op.process, { op, pos });
      continue;
    }
    const inv = open.get(op.process);
    if (!inv) throw new Error(`op ${op.index}: a ${op.type} completion of process ${op.process} without an invoke`);
    open.delete(op.process);
    const index = op.index ?? pos;
    if (op.type === 'ok') add('ok', inv.op, inv.pos, index, op.value);
    // An info completion's reads are unknown: keep its writes, drop its read results.
    else if (op.type === 'info') add('info', inv.op, inv.pos, Infinity, stripReads(op.value ?? inv.op.value));
    else add('fail', inv.op, inv.pos, index, op.value ?? inv.op.value);
  }
  for (const { op, pos } of open.values()) add('info', op, pos, Infinity, stripReads(op.value));
  // Keep node ids in invoke order so reports list transactions as they happened.
  nodes.sort((a, b) => a.invokeIndex - b.invokeIndex);
  nodes.forEach((t, i) => (t.id = i));
  return { nodes, failed };
}

function stripReads(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((m) => (Array.isArray(m) && String(m[0]).replace(/^:/, '') === 'r' ? [m[0], m[1], null] : m));
}
