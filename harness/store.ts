// The store: one folder per run, kept for later analysis.
//   store/<test>/<yyyymmddThhmmss.sss>/
//     test.json      every option, the seed, the command to reproduce, versions
//     history.jsonl  one op per line, appended as the run goes
//     results.json   RunResults (checkers/result.ts)
//     nodes/<node>/  logs collected from each node
//   store/latest -> <test>/<timestamp>   (the newest run)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResults } from '../checkers/result.ts';
import type { CheckerSpec } from '../checkers/checker.ts';

export const RUN_FILES = {
  test: 'test.json',
  history: 'history.jsonl',
  results: 'results.json',
  nodes: 'nodes',
} as const;

/** test.json: enough to understand and reproduce a run. */
export interface TestRecord {
  name: string;
  db: string;
  dbVersion?: string;
  workload: string;
  nemesis?: string;
  nodes: string[];
  concurrency: number;
  rate?: number;
  /** Seconds. */
  timeLimit: number;
  seed: number;
  /** Checker names, so `faultline analyze` can re-run them. */
  checkers: CheckerSpec[];
  options: Record<string, unknown>;
  /** The exact command line, shell-quoted, with the seed pinned. */
  command: string;
  faultlineVersion: string;
  kernel: string;
  node: string;
  startedAt: string;
}

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

export function readTestRecord(dir: string): TestRecord {
  return JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.test), 'utf8')) as TestRecord;
}

export function faultlineVersion(): string {
  const pkg = new URL('../package.json', import.meta.url);
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function kernelVersion(): string {
  return os.release();
}

/** Quotes argv so the line can be pasted into a POSIX shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command line to reproduce a run: argv with `--seed` pinned if it was not given. */
export function reproduceCommand(argv: readonly string[], seed: number): string {
  const pinned = argv.some((a) => a === '--seed' || a.startsWith('--seed=')) ? argv : [...argv, '--seed', String(seed)];
  return shellQuote(pinned);
}
