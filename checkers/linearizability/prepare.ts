// From a history (invoke and completion records) to the ops the search
// works on, with Jepsen's semantics:
//   - a completion belongs to the last open invoke of the same process;
//   - fail: the op did not happen, it is dropped;
//   - info, or no completion at all: indeterminate, its return is at the end
//     of time (it may take effect at any point after its call, or never);
//     indeterminate read-only ops changed nothing and are dropped;
//   - nemesis ops are not client ops, they are ignored.
// Then ops are split into the model's partitions (P-compositionality).
import type { Op } from '../../history/index.ts';
import type { Call, Model } from '../models/model.ts';

export interface PreparedOp {
  call: Call;
  /** Position of the invoke in the history array (orders calls and returns). */
  callPos: number;
  /** Position of the completion; Infinity for indeterminate ops. */
  returnPos: number;
  /** History `index` of the invoke. */
  op: number;
  /** History `index` of the completion, or null. */
  completion: number | null;
  process: number | string;
  /**
   * Alternatives of one indeterminate op (model.possibleOutputs) share a group
   * number: at most one of them may take effect. -1 for every other op.
   */
  group: number;
}

export interface Partition {
  /** The model's partition key, or null when the model does not partition. */
  key: string | null;
  /** The model this partition is searched with (the model's per-partition model, if it has one). */
  model: Model;
  /** Ops sorted by call position. */
  ops: PreparedOp[];
}

export interface Prepared {
  partitions: Partition[];
  opCount: number;
  dropped: { failed: number; indeterminateReads: number };
}

/**
 * Replace each indeterminate op whose effect depends on an unseen result by
 * one alternative per possible result (model.possibleOutputs), grouped so
 * that at most one takes effect. Their return stays at infinity.
 */
function expandUnseenOutputs(model: Model, ops: PreparedOp[]): PreparedOp[] {
  if (!model.possibleOutputs) return ops;
  const calls = ops.map((o) => o.call);
  const out: PreparedOp[] = [];
  let group = 0;
  for (const o of ops) {
    const outputs = o.call.indeterminate ? model.possibleOutputs(o.call, calls) : undefined;
    if (!outputs) {
      out.push(o);
      continue;
    }
    for (const output of outputs) out.push({ ...o, call: { ...o.call, output, indeterminate: false }, group });
    group++;
  }
  return out;
}

/** A history the model cannot read (e.g. a cas without [from to]); names the op. */
export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/**
 * For each position of a client invoke, the position of its completion (-1:
 * none): a completion belongs to the last open invoke of its process. Shared
 * with the shrinker, which must pair ops exactly as the search does.
 */
export function matchCompletions(history: readonly Op[]): Int32Array {
  const open = new Map<number | string, number[]>();
  const completionOf = new Int32Array(history.length).fill(-1);
  for (let pos = 0; pos < history.length; pos++) {
    const op = history[pos];
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      let stack = open.get(op.process);
      if (!stack) open.set(op.process, (stack = []));
      stack.push(pos);
    } else {
      const inv = open.get(op.process)?.pop();
      // A completion without an invoke carries no call; Jepsen ignores it too.
      if (inv !== undefined) completionOf[inv] = pos;
    }
  }
  return completionOf;
}

/** The call the model sees for an invoke and its completion (undefined: never completed). */
export function callOf(invoke: Op, completion: Op | undefined): Call {
  const indeterminate = completion === undefined || completion.type === 'info';
  return { f: invoke.f, input: invoke.value, output: indeterminate ? undefined : completion.value, indeterminate };
}

export function prepare(history: readonly Op[], model: Model, options: { partition?: boolean } = {}): Prepared {
  const completionOf = matchCompletions(history);

  const usePartitions = options.partition !== false && model.partition !== undefined;
  const byKey = new Map<string | null, PreparedOp[]>();
  let failed = 0;
  let indeterminateReads = 0;
  let opCount = 0;
  for (let pos = 0; pos < history.length; pos++) {
    const inv = history[pos];
    if (inv.type !== 'invoke' || inv.process === 'nemesis') continue;
    const cpos = completionOf[pos];
    const done = cpos >= 0 ? history[cpos] : undefined;
    if (done?.type === 'fail') {
      failed++;
      continue;
    }
    const call = callOf(inv, done);
    const indeterminate = call.indeterminate;
    const problem = model.validate?.(call);
    if (problem) throw new HistoryError(`op ${inv.index} (process ${inv.process}): ${problem}`);
    if (indeterminate && model.readOnly?.(call)) {
      indeterminateReads++;
      continue;
    }
    const key = usePartitions ? model.partition!(call) : null;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({
      call,
      callPos: pos,
      returnPos: indeterminate ? Infinity : cpos,
      op: inv.index,
      completion: done ? done.index : null,
      process: inv.process,
      group: -1,
    });
    opCount++;
  }
  // Independent keys: search each partition with the simpler per-key model.
  const split = usePartitions ? model.perPartition?.() : undefined;
  const partitions: Partition[] = [...byKey].map(([key, ops]) => {
    const searchModel = split ? split.model : model;
    const projected = split ? ops.map((o) => ({ ...o, call: split.project(o.call) })) : ops;
    return { key, model: searchModel, ops: expandUnseenOutputs(searchModel, projected) };
  });
  if (partitions.length === 0) partitions.push({ key: null, model, ops: [] });
  return { partitions, opCount, dropped: { failed, indeterminateReads } };
}
