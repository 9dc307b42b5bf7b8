// Jepsen's console log, one op per line:
//   INFO  jepsen.util - 3	:ok	:read	2
// (process, type, f, value separated by tabs; value in EDN: nil, 4, [1 2]).
// Other log lines are skipped.
import type { History } from '../op.ts';
import { EdnError, parseEdn } from './edn.ts';
import { HistoryFileError } from './format-error.ts';
import { jepsenOp } from './jepsen-op.ts';

const OP_LINE = /jepsen\.util\s+-\s+(\S+)\t:?(\S+)\t:?(\S+)(?:\t(.*))?$/;

export function looksLikeJepsenLog(text: string): boolean {
  return /jepsen\.util\s+-\s+\S+\t:(invoke|ok|fail|info)\t/.test(text.slice(0, 4096));
}

export function parseJepsenLog(text: string, file = 'jepsen.log'): History {
  const history: History = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = OP_LINE.exec(lines[i]);
    if (!m) continue;
    const [, proc, type, f, raw] = m;
    let value: unknown = null;
    if (raw !== undefined && raw.trim() !== '') {
      try {
        value = parseEdn(raw);
      } catch (e) {
        // Free text (e.g. an exception message) is kept as a string.
        if (!(e instanceof EdnError)) throw e;
        value = raw.trim();
      }
    }
    const process = /^\d+$/.test(proc) ? Number(proc) : proc.replace(/^:/, '');
    const op = jepsenOp({ process, type, f, value }, history.length);
    if (typeof op === 'string') throw new HistoryFileError(file, i + 1, op);
    history.push(op);
  }
  if (history.length === 0 && text.trim() !== '') {
    throw new HistoryFileError(file, undefined, 'expected Jepsen log lines like "INFO  jepsen.util - 3\\t:ok\\t:read\\t2", found none');
  }
  return history;
}
