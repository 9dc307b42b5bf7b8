// faultline's own history.jsonl: one Op (history/op.ts) per line. A last line
// cut short (the controller was killed mid-write) is dropped, not an error.
import type { History, Op } from '../op.ts';
import type { ParsedHistory } from './parsed.ts';
import { HistoryFileError } from './format-error.ts';

const TYPES: ReadonlySet<unknown> = new Set(['invoke', 'ok', 'fail', 'info']);

function opProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'expected an op object';
  const o = x as Record<string, unknown>;
  if (typeof o.index !== 'number') return 'expected "index" to be a number';
  if (typeof o.time !== 'number') return 'expected "time" to be a number';
  if (typeof o.process !== 'number' && o.process !== 'nemesis') return 'expected "process" to be a number or "nemesis"';
  if (!TYPES.has(o.type)) return 'expected "type" to be "invoke", "ok", "fail" or "info"';
  if (typeof o.f !== 'string') return 'expected "f" to be a string';
  return undefined;
}

export function readJsonl(text: string, file = 'history.jsonl'): ParsedHistory {
  const lines = text.split('\n');
  const opLines: number[] = [];
  const complete = text.endsWith('\n') || text === '';
  const history: History = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    let op: unknown;
    try {
      op = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1 && !complete) break;
      throw new HistoryFileError(file, i + 1, `expected one JSON op per line (${(e as Error).message})`);
    }
    const problem = opProblem(op);
    if (problem) throw new HistoryFileError(file, i + 1, problem);
    history.push(op as Op);
    opLines.push(i + 1);
  }
  return { history, lines: opLines };
}

/** faultline's history.jsonl text for a history: one op per line, as the recorder writes it. */
export function formatJsonlHistory(history: History): string {
  return history.length === 0 ? '' : `${history.map((op) => JSON.stringify(op)).join('\n')}\n`;
}
