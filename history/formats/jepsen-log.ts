// Jepsen's console log, one op per line:
//   INFO  jepsen.util - 3	:ok	:read	2
//   INFO  jepsen.util - 7	:info	:cas	[1 2]	indeterminate: Read timed out
// After "jepsen.util - ": process, type, f, then the value in EDN (nil, 4,
// [1 2]) and, on fail and info lines, free text saying why. Columns are
// separated by any run of whitespace (tabs in Jepsen's own logs, spaces in
// copies), lines end in LF or CRLF.
//
// A jepsen.util line whose first column is a process (a number, or nemesis)
// is an op line and must read as one: anything else there is an error naming
// the line, never skipped, since a skipped ok read can turn an invalid
// history valid. Other log lines (other loggers, jepsen.util messages) are
// skipped.
import type { History } from '../op.ts';
import type { ParsedHistory } from './parsed.ts';
import { EdnError, parseEdnPrefix } from './edn.ts';
import { HistoryFileError } from './format-error.ts';
import { jepsenOp } from './jepsen-op.ts';

const UTIL_LINE = /jepsen\.util\s+-\s+(.*)$/;
const PROCESS = /^(?:\d+|:?nemesis)$/;
const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function looksLikeJepsenLog(text: string): boolean {
  return /jepsen\.util\s+-\s+\S+\s+:(invoke|ok|fail|info)\s/.test(text.slice(0, 4096));
}

/** One op line's columns, or a reason it is not one. */
function readOpLine(body: string): { process: number | string; type: string; f: string; value: unknown; error?: string } | string {
  const cols = /^(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(body.trim());
  if (!cols) return 'expected "PROCESS :TYPE :F VALUE" after "jepsen.util - "';
  const [, proc, rawType, rawF, tail] = cols;
  const type = rawType.replace(/^:/, '');
  if (!TYPES.has(type)) return `expected :invoke, :ok, :fail or :info after the process, found ${JSON.stringify(rawType)}`;
  if (rawF === undefined) return `expected an op name (:read, :write ...) after :${type}`;
  const process = /^\d+$/.test(proc) ? Number(proc) : 'nemesis';
  let value: unknown = null;
  let error: string | undefined;
  if (tail !== undefined && tail.trim() !== '') {
    try {
      const read = parseEdnPrefix(tail);
      value = read.value;
      const rest = read.rest.trim();
      if (rest !== '') {
        // Jepsen appends the reason to fail and info lines; elsewhere trailing text means a column we do not understand.
        if (type !== 'fail' && type !== 'info') return `unexpected text after the value: ${JSON.stringify(rest.slice(0, 60))}`;
        error = rest;
      }
    } catch (e) {
      if (!(e instanceof EdnError)) throw e;
      return `the value is not EDN (${e.reason}): ${JSON.stringify(tail.trim().slice(0, 60))}`;
    }
  }
  return { process, type, f: rawF.replace(/^:/, ''), value, ...(error === undefined ? {} : { error }) };
}

export function readJepsenLog(text: string, file = 'jepsen.log'): ParsedHistory {
  const history: History = [];
  const opLines: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = UTIL_LINE.exec(lines[i]);
    if (!m || !PROCESS.test(m[1].trim().split(/\s+/)[0] ?? '')) continue;
    const read = readOpLine(m[1]);
    if (typeof read === 'string') throw new HistoryFileError(file, i + 1, read);
    const op = jepsenOp(read, history.length);
    if (typeof op === 'string') throw new HistoryFileError(file, i + 1, op);
    history.push(op);
    opLines.push(i + 1);
  }
  if (history.length === 0 && text.trim() !== '') {
    throw new HistoryFileError(file, undefined, 'expected Jepsen log lines like "INFO  jepsen.util - 3\\t:ok\\t:read\\t2", found none');
  }
  return { history, lines: opLines };
}
