// Jepsen / Knossos / Porcupine / Elle EDN histories: either one vector (or list)
// of op maps, or a sequence of op maps (one per line, Porcupine's kv files).
//
// Elle's example histories (e.g. its paper's) leave out :process, and :f for
// transactions. As Elle reads them: an invoke without a process gets a process
// of its own (-1, -2, ...: no process order is invented), the next completion
// without one closes it, and a value that is a list of [f k v] micro-ops is a
// :txn. Pairing by position is only sure when such an op completes before the
// next one starts; overlapping ones, or a stray completion, are refused.
import type { History, Op } from '../op.ts';
import { EdnError, iterateEdnItems } from './edn.ts';
import type { ParsedHistory } from './parsed.ts';
import { HistoryFileError } from './format-error.ts';
import { jepsenOp } from './jepsen-op.ts';

export function readEdnHistory(text: string, file = 'history.edn'): ParsedHistory {
  const history: History = [];
  const lines: number[] = [];
  const anonymous = new AnonymousProcesses();
  try {
    for (const { value, line } of iterateEdnItems(text)) {
      const op = anonymous.convert(value, history.length);
      if (typeof op === 'string') throw new HistoryFileError(file, line, op);
      history.push(op);
      lines.push(line);
    }
  } catch (e) {
    if (e instanceof EdnError) throw new HistoryFileError(file, e.line, `${e.reason} (column ${e.column})`);
    throw e;
  }
  return { history, lines };
}

/** Fills in Elle's omissions (see the top of the file), then converts with jepsenOp. */
class AnonymousProcesses {
  private count = 0;
  /** The invoke without :process still waiting for its completion. */
  private open: { process: number; position: number } | undefined;

  convert(value: unknown, position: number): Op | string {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return jepsenOp(value, position);
    const m = value as Record<string, unknown>;
    const noProcess = m.process === undefined || m.process === null;
    const noF = (m.f === undefined || m.f === null) && isTxnValue(m.value);
    if (!noProcess && !noF) return jepsenOp(m, position);
    const filled: Record<string, unknown> = { ...m };
    if (noF) filled.f = 'txn';
    if (noProcess) {
      const process = this.assign(m.type, position);
      if (typeof process === 'string') return process;
      filled.process = process;
    }
    return jepsenOp(filled, position);
  }

  private assign(type: unknown, position: number): number | string {
    if (type === 'invoke') {
      if (this.open) {
        return `an invoke without :process while op #${this.open.position} (also without one) is still open: which completion is whose cannot be told; give the ops a :process`;
      }
      this.open = { process: -++this.count, position };
      return this.open.process;
    }
    if (typeof type !== 'string') return 'expected :process to be a number or :nemesis, found null';
    if (!this.open) return `expected :process to be a number or :nemesis, found null (a ${type} without :process completes an invoke without one, and none is open)`;
    const { process } = this.open;
    this.open = undefined;
    return process;
  }
}

/** Elle's transaction values: a list of [f key value] micro-ops. */
function isTxnValue(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((m) => Array.isArray(m) && m.length === 3 && typeof m[0] === 'string');
}
