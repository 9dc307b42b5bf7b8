// checkLinearizabilityParallel: the same check, with partitions spread over
// worker threads when the history is big enough that it pays.
//
// Starting a worker costs time (from sources it loads the TypeScript through
// tsx, a few hundred milliseconds; the CLI bundle's worker is plain JavaScript),
// so every check starts on this thread, time-sliced over all partitions. Only
// when it has not finished after `handoffMs` are the unfinished partitions
// shared out: this thread keeps a share (with its progress), the workers search
// the rest from scratch. The first invalid partition anywhere stops all others
// at once (workers are terminated).
//
// Models are functions, which cannot cross threads: the model is named by its
// registry name and options, and each worker builds its own.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Op } from '../../history/index.ts';
import { modelByName, type ModelSpec } from '../models/registry.ts';
import { assemble, partitionBudget, partitionResult, RoundRobin, startRuns, type CheckOptions, type PartitionRun } from './check.ts';
import { prepare, type Partition } from './prepare.ts';
import type { LinearizabilityResult, PartitionResult } from './result.ts';
import type { WorkerInput, WorkerMessage } from './worker.ts';

export interface ParallelOptions extends CheckOptions {
  /** Worker threads to use at most (default: cores - 1, at most 7; 0 = this thread only). */
  workers?: number;
  /** Search on this thread alone for this long before sharing the rest out (default 500 ms). */
  handoffMs?: number;
}

/**
 * esbuild `define` of faultline's CLI bundle (build/cli.mjs): where its bundled
 * worker (linearizability-worker.mjs, plain JavaScript) is, relative to this
 * file. From sources it is undefined and workers start from worker-entry.mjs,
 * which loads worker.ts through tsx.
 */
declare const FAULTLINE_BUNDLED_WORKER: string | undefined;
const WORKER_ENTRY =
  typeof FAULTLINE_BUNDLED_WORKER === 'string' ? new URL(FAULTLINE_BUNDLED_WORKER, import.meta.url) : new URL('./worker-entry.mjs', import.meta.url);

export async function checkLinearizabilityParallel(history: readonly Op[], spec: ModelSpec, options: ParallelOptions = {}): Promise<LinearizabilityResult> {
  const model = modelByName(spec.name, spec.options);
  if (!model) throw new Error(`unknown model '${spec.name}'`);
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? Infinity);
  const prepared = prepare(history, model, { partition: options.partition });
  const runs = startRuns(prepared.partitions, options);
  const aborted = () => options.signal?.aborted === true;
  const local = new RoundRobin(runs, deadline, aborted);
  const maxWorkers = options.workers ?? Math.max(0, Math.min(os.availableParallelism() - 1, 7));

  const done = (results: PartitionResult[], workers = 0) => {
    const r = assemble(model.name, prepared, [], performance.now() - started, results);
    if (workers > 0) r.details.workers = workers;
    return r;
  };
  if (local.work(options.handoffMs ?? 500) || maxWorkers === 0) {
    local.work();
    return done(runs.map(partitionResult));
  }

  // Share the unfinished partitions: this thread keeps every (w+1)-th, each worker gets its slice.
  const unfinished = runs.filter((r) => r.status === 'running');
  const workerCount = Math.min(maxWorkers, unfinished.length - 1);
  if (workerCount < 1) {
    local.work();
    return done(runs.map(partitionResult));
  }
  const shares: Partition[][] = Array.from({ length: workerCount }, () => []);
  const kept: PartitionRun[] = [];
  unfinished.forEach((run, i) => {
    const slot = i % (workerCount + 1);
    if (slot === 0) kept.push(run);
    else {
      shares[slot - 1].push(run.partition);
      run.status = 'cancelled'; // handed off: its result will come from a worker
    }
  });
  const handedOff = new Set(unfinished.filter((r) => !kept.includes(r)));
  const mine = new RoundRobin(kept, deadline, aborted);

  const budget = partitionBudget(options, prepared.partitions.length);
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const fromWorkers: PartitionResult[] = [];
  let refuted = false;
  let pending = workerCount;
  const workers = shares.map((partitions) => {
    const input: WorkerInput = {
      spec,
      partitioned: options.partition !== false,
      partitions: partitions.map((p) => ({ key: p.key, ops: p.ops })),
      maxBytes: budget,
      timeoutMs: Math.max(0, deadline - performance.now()),
      cancel,
    };
    const w = new Worker(WORKER_ENTRY, { workerData: input });
    let finished = false;
    const settle = () => {
      if (!finished) {
        finished = true;
        pending--;
      }
    };
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'result') {
        fromWorkers.push(m.result);
        if (m.result.valid === false) refuted = true;
      } else settle();
    });
    w.on('error', (err) => {
      // A worker that cannot run: its partitions are searched here instead.
      for (const p of partitions) fromWorkers.push(...searchHere(p, budget, deadline, aborted));
      void err;
      settle();
    });
    w.on('exit', settle);
    return w;
  });

  try {
    while (!refuted && (pending > 0 || !mine.finished)) {
      if (!mine.finished) {
        mine.work(20);
        if (mine.refuted) refuted = true;
      }
      if (refuted) break;
      if (aborted() || performance.now() > deadline) Atomics.store(cancel, 0, 1);
      // Let worker messages in.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (mine.finished && pending > 0) await new Promise<void>((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    Atomics.store(cancel, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (refuted) mine.stop('cancelled');

  // Partitions handed off whose worker never answered (stopped by a refutation elsewhere).
  const answered = new Set(fromWorkers.map((r) => r.key));
  const silent = [...handedOff].filter((r) => !answered.has(r.partition.key)).map(partitionResult);
  const results = [...runs.filter((r) => !handedOff.has(r)).map(partitionResult), ...fromWorkers, ...silent];
  return done(results, workerCount);
}

function searchHere(p: Partition, maxBytes: number, deadline: number, aborted: () => boolean): PartitionResult[] {
  const runs = startRuns([p], {}, maxBytes);
  new RoundRobin(runs, deadline, aborted).work();
  return runs.map(partitionResult);
}
