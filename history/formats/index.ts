// Public surface of history/formats: history files in every format faultline reads.
//   jsonl       faultline's own history.jsonl
//   edn         Jepsen / Knossos / Porcupine EDN (a vector of op maps, or one map per line)
//   jepsen-log  Jepsen console log lines "INFO  jepsen.util - 3\t:ok\t:read\t2"
// `auto` picks by extension (.jsonl .edn .log), else by sniffing the first line.
import fs from 'node:fs';
import path from 'node:path';
import type { History } from '../op.ts';
import { parseEdnHistory } from './edn-history.ts';
import { looksLikeJepsenLog, parseJepsenLog } from './jepsen-log.ts';
import { parseJsonlHistory } from './jsonl.ts';
import { HistoryFileError } from './format-error.ts';

export { parseEdn, parseEdnAll, iterateEdn, EdnError, EdnTagged, type EdnValue, type EdnOptions } from './edn.ts';
export { HistoryFileError } from './format-error.ts';
export { parseEdnHistory } from './edn-history.ts';
export { parseJepsenLog } from './jepsen-log.ts';
export { parseJsonlHistory, formatJsonlHistory } from './jsonl.ts';
export { jepsenOp } from './jepsen-op.ts';

export const historyFormats = ['auto', 'jsonl', 'edn', 'jepsen-log'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

/** Text without a leading UTF-8 byte order mark (editors on Windows write one). */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The concrete format of a file: from its extension, else from its first line. */
export function detectFormat(file: string, text: string): Exclude<HistoryFormat, 'auto'> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.json') return 'jsonl';
  if (ext === '.edn') return 'edn';
  if (looksLikeJepsenLog(text)) return 'jepsen-log';
  const first = text.trimStart();
  if (first.startsWith('{"')) return 'jsonl';
  if (first.startsWith('{') || first.startsWith('[') || first.startsWith('(') || first.startsWith(';')) return 'edn';
  throw new HistoryFileError(file, 1, 'cannot tell the format: expected JSONL ({"index":..}), EDN ({:process ..} or [..]) or Jepsen log lines; name it with --format');
}

export function parseHistoryText(raw: string, file: string, format: HistoryFormat = 'auto'): History {
  const text = withoutBom(raw);
  // An empty file is an empty history in every format (trivially valid), whatever its name.
  if (text.trim() === '') return [];
  const f = format === 'auto' ? detectFormat(file, text) : format;
  switch (f) {
    case 'jsonl':
      return parseJsonlHistory(text, file);
    case 'edn':
      return parseEdnHistory(text, file);
    case 'jepsen-log':
      return parseJepsenLog(text, file);
  }
}

/** Read and parse a history file; unreadable or malformed files throw HistoryFileError. */
export function readHistoryFile(file: string, format: HistoryFormat = 'auto'): History {
  return loadHistoryFile(file, format).history;
}

/** Like readHistoryFile, also saying which format the file was read as. */
export function loadHistoryFile(file: string, format: HistoryFormat = 'auto'): { history: History; format: Exclude<HistoryFormat, 'auto'> } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HistoryFileError(file, undefined, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(e)})`);
  }
  const f = format === 'auto' ? (withoutBom(text).trim() === '' ? 'jsonl' : detectFormat(file, withoutBom(text))) : format;
  return { history: parseHistoryText(text, file, f), format: f };
}
