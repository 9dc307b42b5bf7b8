// Reading a run folder back. Tolerant: a missing or partial file gives an
// empty field, not an exception, so a crashed run still gets its report.
// readTestRecord alone is strict: `faultline analyze` needs the checkers it names.
import { createReadStream } from 'node:fs';
import fs from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCoverageEvent, isRaftTrace, type Coverage, type Op, type RaftTrace } from '../../history/index.ts';
import type { CheckResult, RunResults, Validity } from '../../checkers/index.ts';
import { worstValidity } from '../../checkers/index.ts';
import { normalizeTestInfo, RUN_FILES, type NodeLogFile, type TestInfo, type TestRecord } from './schema.ts';

export function readTestRecord(dir: string): TestRecord {
  return JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.test), 'utf8')) as TestRecord;
}

export async function readTestInfo(runDir: string): Promise<TestInfo> {
  const value = await readJson(path.join(runDir, RUN_FILES.test));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? normalizeTestInfo(value as Record<string, unknown>) : {};
}

/** results.json; absent or unreadable gives no checkers and 'unknown'. */
export async function readResults(runDir: string): Promise<RunResults> {
  const value = (await readJson(path.join(runDir, RUN_FILES.results))) as Partial<RunResults> | null;
  const checkers: CheckResult[] = Array.isArray(value?.checkers) ? value.checkers.filter(isCheckResult) : [];
  const valid: Validity = isValidity(value?.valid) ? value.valid : checkers.length ? worstValidity(checkers.map((c) => c.valid)) : 'unknown';
  return { valid, checkers };
}

export interface HistoryRead {
  ops: Op[];
  /** Lines that were not an Op (kept out, counted, shown in the report). */
  malformedLines: number;
}

/** Streams history.jsonl, skipping (and counting) lines that are no op; a missing file is an empty history. */
export async function readRunHistory(runDir: string): Promise<HistoryRead> {
  const file = path.join(runDir, RUN_FILES.history);
  const ops: Op[] = [];
  let malformedLines = 0;
  if (!(await exists(file))) return { ops, malformedLines };
  await forEachLine(file, (line) => {
    try {
      const op = JSON.parse(line) as Op;
      if (isOp(op)) {
        if (typeof op.index !== 'number') op.index = ops.length;
        ops.push(op);
      } else malformedLines++;
    } catch {
      malformedLines++;
    }
  });
  // Histories are written in order; sort defensively (stable) in case of merged files.
  for (let i = 1; i < ops.length; i++) {
    if (ops[i].time < ops[i - 1].time) {
      ops.sort((a, b) => a.time - b.time || a.index - b.index);
      break;
    }
  }
  return { ops, malformedLines };
}

/** Calls `each` with every non-blank line, reading large chunks (no per-line promise as readline has). */
async function forEachLine(file: string, each: (line: string) => void): Promise<void> {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') each(line);
  }
  if (rest.trim() !== '') each(rest);
}

/** Every file under nodes/<node>/ (one level of subfolders too). */
export async function listNodeLogs(runDir: string): Promise<NodeLogFile[]> {
  const root = path.join(runDir, RUN_FILES.nodes);
  const files: NodeLogFile[] = [];
  for (const node of await readdirSafe(root)) {
    if (!node.isDirectory()) continue;
    const walk = async (dir: string, depth: number) => {
      for (const entry of await readdirSafe(dir)) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && depth < 1) await walk(full, depth + 1);
        else if (entry.isFile()) {
          const info = await stat(full);
          files.push({ node: node.name, path: path.relative(runDir, full).split(path.sep).join('/'), bytes: info.size });
        }
      }
    };
    await walk(path.join(root, node.name), 0);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** coverage.json; undefined when absent or not of the Coverage shape (a run of a DB that cannot tell, an older run). */
export async function readCoverage(runDir: string): Promise<Coverage | undefined> {
  const value = (await readJson(path.join(runDir, RUN_FILES.coverage))) as Partial<Coverage> | null;
  if (!value || typeof value.events !== 'object' || value.events === null || !Array.isArray(value.unsupported)) return undefined;
  return {
    events: value.events,
    ...(value.perNode && typeof value.perNode === 'object' ? { perNode: value.perNode } : {}),
    source: typeof value.source === 'string' ? value.source : 'unknown',
    unsupported: value.unsupported.filter(isCoverageEvent),
    notes: Array.isArray(value.notes) ? value.notes.filter((n): n is string => typeof n === 'string') : [],
  };
}

/** raft-trace.json; undefined when absent or not of the RaftTrace shape. */
export async function readRaftTrace(runDir: string): Promise<RaftTrace | undefined> {
  const value = await readJson(path.join(runDir, RUN_FILES.raftTrace));
  return isRaftTrace(value) ? value : undefined;
}

export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readdirSafe(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isValidity(v: unknown): v is Validity {
  return v === true || v === false || v === 'unknown';
}

function isCheckResult(v: unknown): v is CheckResult {
  const r = v as CheckResult | null;
  return r !== null && typeof r === 'object' && typeof r.checker === 'string' && isValidity(r.valid);
}

function isOp(v: Op | null): v is Op {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof v.time === 'number' &&
    typeof v.type === 'string' &&
    typeof v.f === 'string' &&
    (typeof v.process === 'number' || typeof v.process === 'string')
  );
}
