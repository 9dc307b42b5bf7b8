// Run folders holding REAL checker results (Elle, divergence) for the report
// tests: hand-written histories run through the real checkers, written as the
// run loop leaves a folder (test.json, history.jsonl, results.json).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { History, Op } from '../history/op.ts';
import { worstValidity, type CheckResult } from '../checkers/result.ts';
import { checkElle } from '../checkers/elle/index.ts';
import { checkDivergence, type StateReport } from '../checkers/divergence.ts';
import { readHistoryFile } from '../history/formats/index.ts';
import { XSS } from './synthetic-run.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds a history op by op: index and time (1 ms apart) follow the order of the calls. */
function recorder() {
  const ops: Op[] = [];
  const add = (process: number, type: Op['type'], f: string, value: unknown, extra: Partial<Op> = {}) => {
    ops.push({ index: ops.length, time: ops.length * 1e6, process, type, f, value, ...extra });
  };
  return { ops, add };
}

/**
 * A list-append history with one G-single (read skew) of three transactions:
 * T1 appends 1 to x; T2 reads x = [1] and appends 1 to `key`; T3 reads `key`
 * = [1] (so after T2, so after T1) yet reads x empty (so before T1).
 * A few unrelated transactions come first so op ids and history indexes differ.
 */
export function gSingleHistory(key: string = XSS): History {
  const { ops, add } = recorder();
  const txn = (process: number, invoke: unknown[], ok: unknown[]) => {
    add(process, 'invoke', 'txn', invoke);
    add(process, 'ok', 'txn', ok);
  };
  txn(3, [['append', 'z', 1]], [['append', 'z', 1]]);
  txn(3, [['r', 'z', null]], [['r', 'z', [1]]]);
  txn(0, [['append', 'x', 1]], [['append', 'x', 1]]);
  txn(1, [['r', 'x', null], ['append', key, 1]], [['r', 'x', [1]], ['append', key, 1]]);
  txn(2, [['r', key, null], ['r', 'x', null]], [['r', key, [1]], ['r', 'x', null]]);
  return ops;
}

/**
 * A list-append history with an aborted read (G1a): a failed append of 9 to
 * `key` that a later transaction read anyway.
 */
export function abortedReadHistory(key: string = XSS): History {
  const { ops, add } = recorder();
  add(0, 'invoke', 'txn', [['append', key, 9]]);
  add(0, 'fail', 'txn', [['append', key, 9]], { error: 'aborted' });
  add(1, 'invoke', 'txn', [['r', key, null]]);
  add(1, 'ok', 'txn', [['r', key, [9]]]);
  return ops;
}

/** Several histories as one: indexes and times renumbered, processes kept apart. */
export function joinHistories(...histories: History[]): History {
  const out: Op[] = [];
  histories.forEach((h, i) => {
    for (const op of h) out.push({ ...op, index: out.length, time: out.length * 1e6, process: typeof op.process === 'number' ? op.process + 100 * i : op.process });
  });
  return out;
}

/** Elle's own example (../shared/corpus/elle), as `faultline check` reads it. */
export function corpusHistory(name: string): History {
  const file = path.resolve(repoRoot, '../shared/corpus/elle', name);
  if (!existsSync(file)) throw new Error(`corpus file missing: ${file} (the shared corpus must sit beside the repository)`);
  // Elle's examples carry no times: space the ops 1 ms apart, as `faultline check --report` does.
  return readHistoryFile(file).map((op, i) => ({ ...op, time: i * 1e6 }));
}

/**
 * Three nodes' final state hashes at index 120: n2 diverged on two keys
 * (one value differs, one key only it has, named `hostileKey`), n3 agrees with n1.
 */
export function divergenceHistory(hostileKey: string = XSS): History {
  const { ops, add } = recorder();
  const listing = (o: Record<string, string>): Array<[string, string]> => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
  const good = listing({ a: '1', b: '2', c: '3' });
  const bad = listing({ a: '1', b: '7', c: '3', [hostileKey]: XSS });
  const reports: StateReport[] = [
    { node: 'n1', index: 120, hash: 'h-5f1e', keys: good, keysIndex: 120 },
    { node: 'n2', index: 120, hash: 'h-9a0c', keys: bad, keysIndex: 120 },
    { node: 'n3', index: 120, hash: 'h-5f1e', keys: good, keysIndex: 120 },
  ];
  add(0, 'invoke', 'write', ['a', 1], { node: 'n1' });
  add(0, 'ok', 'write', ['a', 1], { node: 'n1' });
  reports.forEach((r, i) => {
    add(100 + i, 'invoke', 'state-hash', null, { node: r.node });
    add(100 + i, 'ok', 'state-hash', r, { node: r.node });
  });
  return ops;
}

export function elleResult(history: History, consistencyModels = ['serializable']): CheckResult {
  return checkElle(history, { consistencyModels });
}

export function divergenceResult(history: History): CheckResult {
  return checkDivergence(history, { nodes: ['n1', 'n2', 'n3'] });
}

/** Writes test.json, history.jsonl and results.json as a finished run leaves them. */
export async function writeCheckedRun(runDir: string, name: string, history: History, checkers: CheckResult[]): Promise<string> {
  await mkdir(runDir, { recursive: true });
  await writeFile(path.join(runDir, 'test.json'), JSON.stringify({ name, command: `faultline check ${name}`, startTime: '2026-01-02T03:04:05.000Z' }));
  await writeFile(path.join(runDir, 'history.jsonl'), history.map((op) => JSON.stringify(op)).join('\n') + '\n');
  await writeFile(path.join(runDir, 'results.json'), JSON.stringify({ valid: worstValidity(checkers.map((c) => c.valid)), checkers }));
  return runDir;
}
