// Pairs a history's invokes with their completions: the unit every plot and
// the timeline draw is one operation, from invoke to completion.
import type { Op, OpType, Process } from '../history/index.ts';

export type Outcome = Exclude<OpType, 'invoke'>;

export interface Operation {
  /** Dense id in invoke order; the page addresses records by it. */
  id: number;
  process: Process;
  f: string;
  /** The outcome; an invoke that never completed counts as 'info' (Jepsen's rule). */
  type: Outcome;
  /** Nanoseconds since test start. */
  start: number;
  /** Completion time; for a never-completed invoke, the end of the history. */
  end: number;
  /** Position of the invoke and of the completion in the history (-1: none). */
  invokeIndex: number;
  completeIndex: number;
  /** Key the op touched, when the value names one (for the key filter). */
  key?: string;
}

export interface PairedHistory {
  operations: Operation[];
  /** Completions with no open invoke on their process: kept out of the plots, counted. */
  orphanCompletions: number;
  /** Time of the last op in the history (ns). */
  endTime: number;
}

/**
 * Pairs each invoke with the next completion of the same process. A process
 * has at most one op in flight (Jepsen's rule), so this is exact for
 * well-formed histories and forgiving for broken ones.
 */
export function pairOperations(history: Iterable<Op>): PairedHistory {
  const operations: Operation[] = [];
  const open = new Map<Process, Operation>();
  let orphanCompletions = 0;
  let endTime = 0;
  for (const op of history) {
    if (op.time > endTime) endTime = op.time;
    if (op.type === 'invoke') {
      const previous = open.get(op.process);
      if (previous) previous.type = 'info'; // a second invoke: the first never completed
      const operation: Operation = {
        id: operations.length,
        process: op.process,
        f: op.f,
        type: 'info',
        start: op.time,
        end: Number.NaN,
        invokeIndex: op.index,
        completeIndex: -1,
        key: keyOf(op.value),
      };
      operations.push(operation);
      open.set(op.process, operation);
      continue;
    }
    const operation = open.get(op.process);
    if (!operation) {
      orphanCompletions++;
      continue;
    }
    open.delete(op.process);
    operation.type = op.type;
    operation.end = op.time;
    operation.completeIndex = op.index;
    operation.key ??= keyOf(op.value);
  }
  for (const operation of operations) if (Number.isNaN(operation.end)) operation.end = Math.max(endTime, operation.start);
  return { operations, orphanCompletions, endTime };
}

/**
 * The key of a single-key op value: Jepsen's independent tuple [key, v] (what
 * faultline's workloads send, see checkers/models), or {key} / {k}. Undefined
 * for multi-key (txn micro-op lists) or keyless values.
 */
export function keyOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const [key] = value;
    return value.length === 2 && (typeof key === 'string' || typeof key === 'number') ? String(key) : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const key = record.key ?? record.k;
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  return undefined;
}
