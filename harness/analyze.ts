// Re-checks a stored run: reads test.json and history.jsonl, rebuilds the
// checkers test.json names (checkers/registry.ts) and runs them again, with
// the Raft trace the run kept (raft-trace.json) for the raft-protocol rules.
import fs from 'node:fs';
import path from 'node:path';
import type { RunResults } from '../checkers/index.ts';
import { checkerFromSpec } from '../checkers/index.ts';
import { UserError } from '../history/index.ts';
import { readHistory } from '../history/index.ts';
import { runCheckers } from '../checkers/index.ts';
import { RUN_FILES, readRaftTrace, readTestRecord, writeResults } from './run-folder/index.ts';
import type { CheckerSpec } from '../checkers/index.ts';

export interface AnalyzeOptions {
  /** Checkers to run instead of the ones test.json names. */
  checkers?: CheckerSpec[];
  /** Overwrite results.json with the new verdict. */
  write?: boolean;
}

export async function analyzeRun(runDir: string, opts: AnalyzeOptions = {}): Promise<RunResults> {
  const historyFile = path.join(runDir, RUN_FILES.history);
  if (!fs.existsSync(historyFile)) throw new UserError(`${runDir} is not a run folder: no ${RUN_FILES.history} in it`);
  const hasRecord = fs.existsSync(path.join(runDir, RUN_FILES.test));
  const record = hasRecord ? readTestRecord(runDir) : undefined;
  const specs = opts.checkers ?? record?.checkers;
  if (!specs || specs.length === 0) {
    throw new UserError(`no checkers to run: ${hasRecord ? 'test.json names none' : 'no test.json'}`, 'Name them with --checker (e.g. --checker history --checker linearizability --model cas-register).');
  }
  const checkers = specs.map(checkerFromSpec);
  const history = readHistory(historyFile);
  const raftTrace = await readRaftTrace(runDir);
  const results = await runCheckers(checkers, history, { nodes: record?.nodes ?? [], workload: record?.workload ?? 'unknown', ...(raftTrace ? { raftTrace } : {}) });
  if (opts.write) writeResults(runDir, results);
  return results;
}
