// Reads faultline's own history.jsonl: one Op per line. A last line cut
// short (the controller was killed mid-write) is dropped, not an error;
// anything else malformed is.
import fs from 'node:fs';
import type { History, Op } from '../op.ts';

export class HistoryFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
    this.name = 'HistoryFormatError';
  }
}

export function readHistory(path: string): History {
  return parseHistory(fs.readFileSync(path, 'utf8'), path);
}

export function parseHistory(text: string, source = 'history'): History {
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  const history: History = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const isTail = i === lines.length - 1 && !complete;
    let op: unknown;
    try {
      op = JSON.parse(line);
    } catch {
      if (isTail) break;
      throw new HistoryFormatError(source, i + 1, 'not valid JSON');
    }
    if (!isOp(op)) throw new HistoryFormatError(source, i + 1, 'not an op (needs index, time, process, type, f)');
    history.push(op);
  }
  return history;
}

function isOp(x: unknown): x is Op {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o.index === 'number' &&
    typeof o.time === 'number' &&
    (typeof o.process === 'number' || o.process === 'nemesis') &&
    (o.type === 'invoke' || o.type === 'ok' || o.type === 'fail' || o.type === 'info') &&
    typeof o.f === 'string'
  );
}
