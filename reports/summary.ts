// summary.json in a run folder: what CI and the store browser read without
// parsing the history (verdicts, counts, paths).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckResult, Validity } from '../checkers/index.ts';
import type { CoverageCounts, CoverageEvent } from '../history/index.ts';
import { pairOperations } from './operations.ts';
import { faultIntervals } from './faults.ts';
import { exists, readCoverage, readRunHistory, readJson, readResults, readTestInfo, RUN_FILES } from '../harness/run-folder/index.ts';
import type { WrittenFile } from './written-file.ts';

export interface RunSummary {
  name: string;
  startTime?: string | number;
  valid: Validity;
  checkers: Array<Pick<CheckResult, 'checker' | 'valid' | 'summary'>>;
  counts: {
    operations: number;
    ok: number;
    fail: number;
    info: number;
    faults: number;
    /** Faults by what their evidence showed (faults recorded before evidence existed count in none). */
    faultEffects: { tookEffect: number; noEffect: number; unverified: number };
    durationMs: number;
  };
  /** Paths relative to the run folder (present files only). */
  paths: Record<string, string>;
  /** The Raft events the run reached (coverage.json: per node there); absent when the DB cannot tell. */
  coverage?: { events: CoverageCounts; unsupported: CoverageEvent[] };
}

export async function buildSummary(runDir: string): Promise<RunSummary> {
  const [test, results, history, coverage] = await Promise.all([readTestInfo(runDir), readResults(runDir), readRunHistory(runDir), readCoverage(runDir)]);
  const { operations, endTime } = pairOperations(history.ops);
  const client = operations.filter((op) => op.process !== 'nemesis');
  const count = (type: string) => client.filter((op) => op.type === type).length;
  const { intervals } = faultIntervals(history.ops, endTime);
  const effects = (e: string) => intervals.filter((f) => f.effect === e).length;
  const paths: Record<string, string> = {};
  for (const [role, name] of Object.entries(RUN_FILES)) {
    if (role !== 'summary' && (await exists(path.join(runDir, name)))) paths[role] = name;
  }
  return {
    name: test.name ?? path.basename(path.dirname(path.resolve(runDir))),
    ...(test.startTime === undefined ? {} : { startTime: test.startTime }),
    valid: results.valid,
    checkers: results.checkers.map(({ checker, valid, summary }) => ({ checker, valid, summary: String(summary ?? '') })),
    counts: {
      operations: client.length,
      ok: count('ok'),
      fail: count('fail'),
      info: count('info'),
      faults: intervals.length,
      faultEffects: { tookEffect: effects('took-effect'), noEffect: effects('no-effect'), unverified: effects('unverified') },
      durationMs: Math.round(endTime / 1e3) / 1e3,
    },
    paths,
    ...(coverage ? { coverage: { events: coverage.events, unsupported: coverage.unsupported } } : {}),
  };
}

/** Writes runDir/summary.json. */
export async function writeSummary(runDir: string): Promise<WrittenFile & { summary: RunSummary }> {
  const summary = await buildSummary(runDir);
  const file = path.resolve(runDir, RUN_FILES.summary);
  const text = `${JSON.stringify(summary, null, 2)}\n`;
  await writeFile(file, text);
  return { path: file, bytes: Buffer.byteLength(text), summary };
}

/** summary.json if present and well-formed, else built from the folder. */
export async function readOrBuildSummary(runDir: string): Promise<RunSummary> {
  const stored = (await readJson(path.join(runDir, RUN_FILES.summary))) as RunSummary | null;
  if (stored && typeof stored === 'object' && Array.isArray(stored.checkers) && stored.counts) return stored;
  return buildSummary(runDir);
}
