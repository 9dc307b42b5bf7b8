// Jepsen / Knossos / Porcupine EDN histories: either one vector (or list) of op
// maps, or a sequence of op maps (one per line, Porcupine's kv files).
import type { History } from '../op.ts';
import { EdnError, iterateEdn, type EdnValue } from './edn.ts';
import { HistoryFileError } from './format-error.ts';
import { jepsenOp } from './jepsen-op.ts';

export function parseEdnHistory(text: string, file = 'history.edn'): History {
  const tops: { value: EdnValue; line: number }[] = [];
  try {
    for (const top of iterateEdn(text)) tops.push(top);
  } catch (e) {
    if (e instanceof EdnError) throw new HistoryFileError(file, e.line, `${e.reason} (column ${e.column})`);
    throw e;
  }
  if (tops.length === 0) return [];
  const history: History = [];
  if (tops.length === 1 && Array.isArray(tops[0].value)) {
    const ops = tops[0].value;
    for (let i = 0; i < ops.length; i++) {
      const op = jepsenOp(ops[i], i);
      if (typeof op === 'string') throw new HistoryFileError(file, tops[0].line, `op #${i} of the vector: ${op}`);
      history.push(op);
    }
    return history;
  }
  for (let i = 0; i < tops.length; i++) {
    const op = jepsenOp(tops[i].value, i);
    if (typeof op === 'string') throw new HistoryFileError(file, tops[i].line, op);
    history.push(op);
  }
  return history;
}
