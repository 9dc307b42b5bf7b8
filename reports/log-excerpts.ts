// Node-log lines around each fault: what the database said when it was hit.
// Log lines carry wall-clock stamps; history times are ns since test start, so
// test.json's startTime links the two. Without it (or without stamps) the
// report still links the full files.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FaultInterval } from './faults.ts';
import type { NodeLogFile } from '../harness/run-folder/index.ts';

export interface LogExcerpt {
  /** Index into the report's fault intervals. */
  fault: number;
  node: string;
  file: string;
  lines: Array<{ n: number; text: string }>;
}

export interface ExcerptOptions {
  /** Window around the fault's start, ms. */
  beforeMs?: number;
  afterMs?: number;
  maxLinesPerExcerpt?: number;
  maxLineChars?: number;
}

// ISO-8601 (etcd's JSON logs, most servers) or Go's log package "2024/01/02 15:04:05.000000".
const STAMP = /(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?/;

/** Epoch ms of the first timestamp in a log line (UTC when no zone is given). */
export function parseLogTime(line: string): number | undefined {
  const m = STAMP.exec(line);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * For each fault and each node it touched (every node when it names none),
 * the log lines stamped within [start - before, start + after]. Lines without a
 * stamp (stack traces, continuation lines) go with the stamped line before them.
 */
export async function logExcerpts(
  runDir: string,
  files: readonly NodeLogFile[],
  faults: readonly FaultInterval[],
  startEpochMs: number | undefined,
  options: ExcerptOptions = {},
): Promise<LogExcerpt[]> {
  const { beforeMs = 2000, afterMs = 5000, maxLinesPerExcerpt = 40, maxLineChars = 400 } = options;
  if (startEpochMs === undefined || faults.length === 0) return [];
  const windows = faults.map((fault, index) => ({
    index,
    nodes: new Set(fault.nodes),
    from: startEpochMs + fault.start / 1e6 - beforeMs,
    to: startEpochMs + fault.start / 1e6 + afterMs,
  }));
  const excerpts: LogExcerpt[] = [];
  for (const file of files) {
    const relevant = windows.filter((w) => w.nodes.size === 0 || w.nodes.has(file.node));
    if (relevant.length === 0) continue;
    const byFault = new Map<number, LogExcerpt>();
    let lastStamp: number | undefined;
    let n = 0;
    const lines = createInterface({ input: createReadStream(path.join(runDir, file.path), { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      n++;
      lastStamp = parseLogTime(line) ?? lastStamp;
      if (lastStamp === undefined) continue;
      for (const w of relevant) {
        if (lastStamp < w.from || lastStamp > w.to) continue;
        let excerpt = byFault.get(w.index);
        if (!excerpt) byFault.set(w.index, (excerpt = { fault: w.index, node: file.node, file: file.path, lines: [] }));
        if (excerpt.lines.length < maxLinesPerExcerpt) {
          excerpt.lines.push({ n, text: line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line });
        }
      }
    }
    excerpts.push(...byFault.values());
  }
  return excerpts.sort((a, b) => a.fault - b.fault || a.file.localeCompare(b.file));
}
