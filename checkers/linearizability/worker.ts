// A worker thread's side of checkLinearizabilityParallel: search the
// partitions it was given, post each result as it is known, stop when the
// shared cancel flag is set (another partition was refuted) or time runs out.
import { parentPort, workerData } from 'node:worker_threads';
import { modelByName, type ModelSpec } from '../models/registry.ts';
import { partitionResult, RoundRobin, startRuns } from './check.ts';
import type { Partition, PreparedOp } from './prepare.ts';
import type { PartitionResult } from './result.ts';

export interface WorkerInput {
  spec: ModelSpec;
  partitioned: boolean;
  partitions: { key: string | null; ops: PreparedOp[] }[];
  maxBytes: number;
  timeoutMs: number;
  /** Set to 1 by the main thread: stop now. */
  cancel: Int32Array;
}

export type WorkerMessage = { type: 'result'; result: PartitionResult } | { type: 'done' };

function main(input: WorkerInput): void {
  const model = modelByName(input.spec.name, input.spec.options);
  if (!model) throw new Error(`unknown model '${input.spec.name}'`);
  const searchModel = input.partitioned && model.perPartition ? model.perPartition().model : model;
  const partitions: Partition[] = input.partitions.map((p) => ({ key: p.key, model: searchModel, ops: p.ops }));
  const runs = startRuns(partitions, {}, input.maxBytes);
  const rr = new RoundRobin(runs, performance.now() + input.timeoutMs, () => Atomics.load(input.cancel, 0) !== 0);
  const posted = new Set<number>();
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  // Post each result once, as soon as it is known; a refutation first, so the main thread stops the rest.
  const postFinished = () => {
    for (const refutedFirst of [true, false]) {
      runs.forEach((run, i) => {
        if (run.status === 'running' || posted.has(i) || (run.status === 'invalid') !== refutedFirst) return;
        posted.add(i);
        post({ type: 'result', result: partitionResult(run) });
      });
    }
  };
  while (!rr.work(50)) postFinished();
  postFinished();
  post({ type: 'done' });
}

if (parentPort && workerData) main(workerData as WorkerInput);
