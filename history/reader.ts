// Reads a run's history.jsonl with the shared JSONL parser (harness/formats):
// a last line cut short by a kill is dropped, anything else malformed throws
// HistoryFileError naming the line.
import { readHistoryFile } from './formats/index.ts';
import type { History } from './op.ts';

export function readHistory(path: string): History {
  return readHistoryFile(path, 'jsonl');
}
