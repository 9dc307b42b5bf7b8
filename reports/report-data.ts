// Everything one report.html embeds, computed from the run folder's files.
import path from 'node:path';
import type { FaultEffect, FaultEvidence, Op } from '../history/index.ts';
import type { FaultImpact, FaultsDetails, RunResults } from '../checkers/index.ts';
import { pairOperations, type Operation } from './operations.ts';
import { faultIntervals } from './faults.ts';
import { downsampleLatency, latencyQuantiles, round3, throughput, type LatencyQuantiles, type ScatterPoints, type Throughput } from './series.ts';
import { encodeColumns, encodeRecordChunks, RECORDS_PER_CHUNK, type EncodedColumns } from './columns.ts';
import { counterexampleViews, type CounterexampleView } from './counterexample.ts';
import { elleViews, type ElleView } from './elle-view.ts';
import { divergenceViews, type DivergenceView } from './divergence-view.ts';
import { logExcerpts, type LogExcerpt } from './log-excerpts.ts';
import { coverageView, type CoverageView } from './coverage-view.ts';
import { listNodeLogs, readCoverage, readRunHistory, readResults, readTestInfo, startEpochMs, type NodeLogFile, type TestInfo } from '../harness/run-folder/index.ts';

export interface ReportFault {
  fault: string;
  /** ms since test start. */
  start: number;
  end: number;
  healed: boolean;
  nodes: string[];
  description?: string;
  /** Whether it was seen in force (absent: a history recorded before faults were checked). */
  effect?: FaultEffect;
  /** The start ended info: what it applied is unknown. */
  uncertain?: boolean;
  evidence?: FaultEvidence;
  heal?: { effect?: FaultEffect; evidence?: FaultEvidence };
  /** What it did to the clients, from the faults checker's result (when it ran). */
  impact?: FaultImpact;
}

export interface ReportCounts {
  operations: number;
  clientOps: number;
  ok: number;
  fail: number;
  info: number;
  processes: number;
  faults: number;
  durationMs: number;
  orphanCompletions: number;
  malformedLines: number;
}

/** The JSON the page reads (the column table and record chunks travel beside it). */
export interface ReportModel {
  test: TestInfo;
  runDir: string;
  generatedAt: string;
  results: RunResults;
  counts: ReportCounts;
  faults: ReportFault[];
  events: Array<{ time: number; f: string; nodes: string[]; description?: string }>;
  throughput: Throughput;
  latency: LatencyQuantiles;
  scatter: ScatterPoints;
  counterexamples: CounterexampleView[];
  /** Elle anomalies and replica divergence, drawn only when those checkers ran. */
  elle: ElleView[];
  divergence: DivergenceView[];
  logs: { files: NodeLogFile[]; excerpts: LogExcerpt[] };
  /** The Raft events the run reached (coverage.json); absent when the DB cannot tell. */
  coverage?: CoverageView;
  columns: Omit<EncodedColumns, 'data'> & { recordsPerChunk: number; chunkCount: number };
}

export interface ReportPayload {
  model: ReportModel;
  /** Base64 gzipped column buffer. */
  columns: string;
  /** Base64 gzipped record chunks. */
  chunks: string[];
}

/** Largest checker `details` embedded as is; bigger ones are left in results.json. */
const MAX_DETAILS_CHARS = 2_000_000;

export async function loadReport(runDir: string): Promise<ReportPayload> {
  const [test, results, history, logFiles, coverage] = await Promise.all([
    readTestInfo(runDir),
    readResults(runDir),
    readRunHistory(runDir),
    listNodeLogs(runDir),
    readCoverage(runDir),
  ]);
  const { model, operations } = buildModel({ test, results, history: history.ops, malformedLines: history.malformedLines, runDir });
  if (coverage) model.coverage = coverageView(coverage);
  const { data, ...layout } = encodeColumns(operations);
  const chunks = encodeRecordChunks(operations, indexLookup(history.ops));
  model.columns = { ...layout, recordsPerChunk: RECORDS_PER_CHUNK, chunkCount: chunks.length };
  model.logs = {
    files: logFiles,
    excerpts: await logExcerpts(runDir, logFiles, faultsNs(model.faults), startEpochMs(test)),
  };
  return { model, columns: data, chunks };
}

interface ModelInputs {
  test: TestInfo;
  results: RunResults;
  history: readonly Op[];
  malformedLines: number;
  runDir: string;
}

function buildModel(inputs: ModelInputs): { model: ReportModel; operations: Operation[] } {
  const { history } = inputs;
  const paired = pairOperations(history);
  const { operations } = paired;
  const durationMs = paired.endTime / 1e6;
  const { intervals, events } = faultIntervals(history, paired.endTime);
  const impacts = faultImpacts(inputs.results);
  const client = operations.filter((op) => op.process !== 'nemesis');
  const opAt = indexLookup(history);
  const idByInvoke = new Map(operations.map((op) => [op.invokeIndex, op.id]));
  const operationIdAt = operationIdLookup(operations);
  const model: ReportModel = {
    test: inputs.test,
    runDir: path.resolve(inputs.runDir),
    generatedAt: new Date().toISOString(),
    results: { valid: inputs.results.valid, checkers: inputs.results.checkers.map(trimDetails) },
    counts: {
      operations: operations.length,
      clientOps: client.length,
      ok: client.filter((op) => op.type === 'ok').length,
      fail: client.filter((op) => op.type === 'fail').length,
      info: client.filter((op) => op.type === 'info').length,
      processes: new Set(client.map((op) => op.process)).size,
      faults: intervals.length,
      durationMs: round3(durationMs),
      orphanCompletions: paired.orphanCompletions,
      malformedLines: inputs.malformedLines,
    },
    faults: intervals.map((f) => ({
      fault: f.fault,
      start: round3(f.start / 1e6),
      end: round3(f.end / 1e6),
      healed: f.healed,
      nodes: f.nodes,
      ...(f.description === undefined ? {} : { description: f.description }),
      ...(f.effect === undefined ? {} : { effect: f.effect }),
      ...(f.uncertain ? { uncertain: true } : {}),
      ...(f.evidence === undefined ? {} : { evidence: f.evidence }),
      ...(f.heal === undefined ? {} : { heal: f.heal }),
      ...(impacts.has(f.startIndex) ? { impact: impacts.get(f.startIndex)! } : {}),
    })),
    events: events.map((e) => ({ time: round3(e.time / 1e6), f: e.f, nodes: e.nodes, ...(e.description === undefined ? {} : { description: e.description }) })),
    throughput: throughput(operations, durationMs),
    latency: latencyQuantiles(operations, durationMs),
    scatter: downsampleLatency(operations, durationMs),
    counterexamples: counterexampleViews(inputs.results.checkers, opAt, (index) => idByInvoke.get(index) ?? -1),
    elle: elleViews(inputs.results.checkers, operationIdAt),
    divergence: divergenceViews(inputs.results.checkers, operationIdAt),
    logs: { files: [], excerpts: [] },
    // Filled in by loadReport once the columns and logs are encoded.
    columns: { count: 0, layout: [], fNames: [], keys: [], recordsPerChunk: RECORDS_PER_CHUNK, chunkCount: 0 },
  };
  return { model, operations };
}

/** Each fault's impact on the clients by its start invoke's index, from the faults checker's details. */
function faultImpacts(results: RunResults): Map<number, FaultImpact> {
  const details = results.checkers.find((c) => c.checker === 'faults')?.details as Partial<FaultsDetails> | undefined;
  return new Map((Array.isArray(details?.faults) ? details.faults : []).map((f) => [f.startIndex, f.impact]));
}

/** History index -> op; direct when indexes are dense (the normal case). */
function indexLookup(history: readonly Op[]): (index: number) => Op | undefined {
  if (history.every((op, i) => op.index === i)) return (index) => history[index];
  const byIndex = new Map(history.map((op) => [op.index, op]));
  return (index) => byIndex.get(index);
}

/**
 * History index of an invoke or a completion -> its operation id (-1: none).
 * Built on the first call: only the checkers that cite ops by index need it.
 */
function operationIdLookup(operations: readonly Operation[]): (historyIndex: number) => number {
  let byIndex: Map<number, number> | undefined;
  return (historyIndex) => {
    if (!byIndex) {
      byIndex = new Map();
      for (const op of operations) {
        byIndex.set(op.invokeIndex, op.id);
        if (op.completeIndex >= 0) byIndex.set(op.completeIndex, op.id);
      }
    }
    return byIndex.get(historyIndex) ?? -1;
  };
}

function trimDetails<T extends { details?: unknown }>(result: T): T {
  if (result.details === undefined) return result;
  const text = JSON.stringify(result.details);
  if (text.length <= MAX_DETAILS_CHARS) return result;
  return { ...result, details: { omitted: `details are ${text.length} characters: see results.json` } };
}

function faultsNs(faults: ReportFault[]) {
  return faults.map((f) => ({ ...f, start: f.start * 1e6, end: f.end * 1e6, startIndex: -1, stopIndex: -1 }));
}
