// Hand-written histories for the invariant checkers: invoke and complete ops
// in the order written; index and time are the position.
import type { History, Op, OpType, Process } from '../../history/op.ts';

export class HistoryBuilder {
  readonly ops: History = [];

  private push(process: Process, type: OpType, f: string, value: unknown, error?: string): Op {
    const op: Op = { index: this.ops.length, time: this.ops.length * 1000, process, type, f, value, ...(error ? { error } : {}) };
    this.ops.push(op);
    return op;
  }

  invoke(process: Process, f: string, value: unknown = null): Op {
    return this.push(process, 'invoke', f, value);
  }

  /** Completes the process's open op (same f as its invoke). */
  complete(process: Process, type: Exclude<OpType, 'invoke'>, value?: unknown): Op {
    const open = [...this.ops].reverse().find((o) => o.process === process && o.type === 'invoke')!;
    return this.push(process, type, open.f, value === undefined ? open.value : value, type === 'ok' ? undefined : 'test');
  }

  /** invoke + complete back to back. */
  op(process: Process, f: string, invokeValue: unknown, type: Exclude<OpType, 'invoke'>, value?: unknown): Op {
    this.invoke(process, f, invokeValue);
    return this.complete(process, type, value);
  }
}
