// Public surface of history/formats: history files in every format faultline reads.
//   jsonl       faultline's own history.jsonl
//   edn         Jepsen / Knossos / Porcupine EDN (a vector of op maps, or one map per line)
//   jepsen-log  Jepsen console log lines "INFO  jepsen.util - 3\t:ok\t:read\t2"
// `auto` picks by extension (.jsonl .edn .log), else by sniffing the first line.
import fs from 'node:fs';
import path from 'node:path';
import type { History } from '../op.ts';
import { readEdnHistory } from './edn-history.ts';
import { looksLikeJepsenLog, readJepsenLog } from './jepsen-log.ts';
import { readJsonl } from './jsonl.ts';
import { HistoryFileError } from './format-error.ts';
import type { ParsedHistory } from './parsed.ts';
import { inexactNumber, structureProblem, type StructureRules } from '../structure.ts';

export { parseEdn, parseEdnAll, iterateEdn, EdnError, EdnTagged, type EdnValue, type EdnOptions } from './edn.ts';
export { HistoryFileError } from './format-error.ts';
export { formatJsonlHistory } from './jsonl.ts';
export { jepsenOp } from './jepsen-op.ts';

export const historyFormats = ['auto', 'jsonl', 'edn', 'jepsen-log'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

/** The file's text; bytes that are not UTF-8 are an error naming their line (a decoder would turn them into U+FFFD silently). */
function utf8Text(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 10) line++;
      else if (bytes[i] >= 0x80 && !isUtf8At(bytes, i)) return fail(line);
      else if (bytes[i] >= 0x80) i += utf8Length(bytes[i]) - 1;
    }
    return fail(line);
  }
  function fail(line: number): never {
    throw new HistoryFileError(file, line, 'bytes that are not UTF-8 text');
  }
}

function utf8Length(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** True when a valid UTF-8 sequence starts at byte i. */
function isUtf8At(bytes: Buffer, i: number): boolean {
  const n = utf8Length(bytes[i]);
  if (n === 1 || i + n > bytes.length) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + n));
    return true;
  } catch {
    return false;
  }
}

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

/**
 * The history, once it is known to be well formed (history/structure.ts) and
 * to hold only numbers JavaScript represents exactly; otherwise a
 * HistoryFileError naming the op's line.
 */
function checked({ history, lines }: ParsedHistory, file: string, rules: StructureRules = {}): History {
  const problem = structureProblem(history, rules);
  if (problem) throw new HistoryFileError(file, lines[problem.position], problem.reason);
  for (let i = 0; i < history.length; i++) {
    const big = inexactNumber(history[i].value);
    if (big !== undefined) {
      throw new HistoryFileError(file, lines[i], `the integer ${big} is beyond what a JavaScript number holds exactly (2^53): faultline refuses it rather than compare it wrong; write such values as strings`);
    }
  }
  return history;
}

export const parseJsonlHistory = (text: string, file = 'history.jsonl'): History => checked(readJsonl(text, file), file, { monotonicTime: true });
export const parseEdnHistory = (text: string, file = 'history.edn'): History => checked(readEdnHistory(text, file), file);
export const parseJepsenLog = (text: string, file = 'jepsen.log'): History => checked(readJepsenLog(text, file), file);

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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HistoryFileError(file, undefined, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(e)})`);
  }
  const text = utf8Text(bytes, file);
  const f = format === 'auto' ? (withoutBom(text).trim() === '' ? 'jsonl' : detectFormat(file, withoutBom(text))) : format;
  return { history: parseHistoryText(text, file, f), format: f };
}
