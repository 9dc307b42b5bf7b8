// Writing a run folder: created under the store with store/latest pointing
// at it, every JSON file replaced atomically (a reader never sees half a file).
import fs from 'node:fs';
import path from 'node:path';
import type { RunResults } from '../../checkers/index.ts';
import { formatJsonlHistory } from '../../history/formats/index.ts';
import type { Coverage, History, RaftTrace } from '../../history/index.ts';
import { RUN_FILES, type ImportedRunRecord, type TestRecord } from './schema.ts';

/** 2026-11-23T17:58:00.123Z -> 20261123T175800.123 (UTC). */
export function runTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/Z$/, '');
}

/** Creates store/<test>/<timestamp>/ (and nodes/), points store/latest at it. */
export function createRunDir(storeRoot: string, testName: string, now = new Date()): string {
  const testDir = path.join(storeRoot, safeName(testName));
  fs.mkdirSync(testDir, { recursive: true });
  let dir = path.join(testDir, runTimestamp(now));
  // Two runs in the same millisecond (tests, --test-count) get a suffix.
  for (let i = 1; fs.existsSync(dir); i++) dir = path.join(testDir, `${runTimestamp(now)}-${i}`);
  fs.mkdirSync(path.join(dir, RUN_FILES.nodes), { recursive: true });
  pointLatest(storeRoot, dir);
  return dir;
}

function pointLatest(storeRoot: string, dir: string): void {
  const link = path.join(storeRoot, 'latest');
  const tmp = `${link}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(path.relative(storeRoot, dir), tmp);
  fs.renameSync(tmp, link); // atomic replace
}

export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  return s === '' ? 'test' : s;
}

export function writeJson(file: string, data: unknown): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export function writeTestRecord(dir: string, record: TestRecord): void {
  writeJson(path.join(dir, RUN_FILES.test), record);
}

export function writeResults(dir: string, results: RunResults): void {
  writeJson(path.join(dir, RUN_FILES.results), results);
}

export function writeCoverage(dir: string, coverage: Coverage): void {
  writeJson(path.join(dir, RUN_FILES.coverage), coverage);
}

export function writeRaftTrace(dir: string, trace: RaftTrace): void {
  writeJson(path.join(dir, RUN_FILES.raftTrace), trace);
}

/**
 * A run folder for a history that no run of ours recorded (`faultline check
 * --report`): test.json naming the source, the history as JSONL, the results.
 */
export function writeImportedRun(dir: string, record: ImportedRunRecord, history: History, results: RunResults): void {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, RUN_FILES.test), record);
  fs.writeFileSync(path.join(dir, RUN_FILES.history), formatJsonlHistory(history));
  writeResults(dir, results);
}
