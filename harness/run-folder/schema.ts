// The run folder's files and what test.json holds: the one definition the
// run loop writes, `faultline check --report` imitates, and analyze, the
// report, summary.json, JUnit and `faultline serve` read.
//   <store>/<test>/<yyyymmddThhmmss.sss>/
//     test.json      every option, the seed, the command to reproduce, versions
//     history.jsonl  one op per line, appended as the run goes
//     results.json   RunResults (checkers/result.ts)
//     report.html    the report (reports/), summary.json its digest for CI
//     coverage.json  the Raft events the run reached, from the node logs (history/coverage.ts)
//     raft-trace.json  each member's own account of its Raft state, from the same logs (history/raft-trace.ts)
//     nodes/<node>/  logs collected from each node
//   <store>/latest -> <test>/<timestamp>   (the newest run)
import type { CheckerSpec } from '../../checkers/index.ts';

export const RUN_FILES = {
  test: 'test.json',
  history: 'history.jsonl',
  results: 'results.json',
  report: 'report.html',
  summary: 'summary.json',
  coverage: 'coverage.json',
  raftTrace: 'raft-trace.json',
  nodes: 'nodes',
} as const;

/** test.json as `faultline test` writes it: enough to understand and reproduce a run. */
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

/** test.json of a run folder `faultline check --report` makes from a history file. */
export interface ImportedRunRecord {
  name: string;
  /** The history file, absolute. */
  source: string;
  command: string;
  checker: string;
  startTime: string;
  note?: string;
}

/** test.json as read back from any run folder: every field optional, since older or imported runs may lack some. */
export interface TestInfo {
  name?: string;
  command?: string;
  options?: Record<string, unknown>;
  seed?: number | string;
  versions?: Record<string, string | undefined>;
  /** ISO text or epoch milliseconds. */
  startTime?: string | number;
}

export interface NodeLogFile {
  node: string;
  /** Relative to the run folder, with forward slashes (usable as a link). */
  path: string;
  bytes: number;
}

/**
 * Accepts the documented shape and the run loop's TestRecord (TestRecord:
 * startedAt, faultlineVersion, dbVersion, kernel, node as top-level fields).
 */
export function normalizeTestInfo(raw: Record<string, unknown>): TestInfo {
  const info = { ...raw } as TestInfo & Record<string, unknown>;
  if (info.startTime === undefined && (typeof raw.startedAt === 'string' || typeof raw.startedAt === 'number')) info.startTime = raw.startedAt;
  if (info.versions === undefined || typeof info.versions !== 'object') {
    const versions: Record<string, string> = {};
    for (const [field, name] of [['faultlineVersion', 'faultline'], ['dbVersion', 'db'], ['kernel', 'kernel'], ['node', 'node']] as const) {
      if (typeof raw[field] === 'string') versions[name] = raw[field];
    }
    if (typeof raw.db === 'string' && versions.db) versions.db = `${raw.db} ${versions.db}`;
    info.versions = versions;
  }
  if (typeof info.name !== 'string') delete info.name;
  if (typeof info.command !== 'string') delete info.command;
  return info;
}

/** Epoch ms of the test start, if test.json says it. */
export function startEpochMs(info: TestInfo): number | undefined {
  if (typeof info.startTime === 'number' && Number.isFinite(info.startTime)) return info.startTime;
  if (typeof info.startTime === 'string') {
    const ms = Date.parse(info.startTime);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}
