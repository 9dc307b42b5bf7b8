// checkLinearizability: history + model -> verdict, on one thread.
//
// Partitions are searched in interleaved time slices, never one after the
// other to completion: a partition that refutes the history in a millisecond
// must not wait behind one that would run for minutes (Porcupine's kv c50-bad:
// key "3" fails at once, keys "0" and "9" would run for ever). The first
// invalid partition stops every other one.
import type { Op } from '../../history/index.ts';
import type { Model } from '../models/model.ts';
import { prepare, type Partition } from './prepare.ts';
import { WglSearch, type SearchStatus } from './search.ts';
import { counterexample, describeOps } from './explain.ts';
import type { LinearizabilityDetails, LinearizabilityResult, PartitionResult, UnknownReason } from './result.ts';
import { worstValidity } from '../result.ts';

export interface CheckOptions {
  /** Give up (valid: 'unknown', reason 'timeout') after this long. Default: no limit. */
  timeoutMs?: number;
  /** Memory for the searches' caches, shared by the partitions. Default 1 GiB. */
  maxMemoryBytes?: number;
  /** Check the model's partitions separately (default true). False checks the whole history as one. */
  partition?: boolean;
  /** Stop early (reason 'cancelled') when this aborts. */
  signal?: AbortSignal;
}

const DEFAULT_MEMORY = 1 << 30;
/** Each partition may use at least this much, however many there are. */
const MIN_PARTITION_MEMORY = 64 << 20;
/** Steps per time slice: the first round is short (cheap refutations surface at once), later rounds longer. */
const FIRST_SLICE = 512;
const MAX_SLICE = 32768;

/** One partition's search, driven in slices. */
export interface PartitionRun {
  partition: Partition;
  search: WglSearch;
  status: SearchStatus | 'timeout' | 'cancelled';
  elapsedMs: number;
}

export function checkLinearizability(history: readonly Op[], model: Model, options: CheckOptions = {}): LinearizabilityResult {
  const started = performance.now();
  const prepared = prepare(history, model, { partition: options.partition });
  const runs = startRuns(prepared.partitions, options);
  const deadline = started + (options.timeoutMs ?? Infinity);
  new RoundRobin(runs, deadline, () => options.signal?.aborted === true).work();
  return assemble(model.name, prepared, runs, performance.now() - started);
}

/** Memory each partition's search may use: the budget shared out, with a floor. */
export function partitionBudget(options: CheckOptions, partitions: number): number {
  const budget = options.maxMemoryBytes ?? DEFAULT_MEMORY;
  return Math.min(budget, Math.max(MIN_PARTITION_MEMORY, Math.floor(budget / Math.max(1, partitions))));
}

export function startRuns(partitions: readonly Partition[], options: CheckOptions, maxBytes = partitionBudget(options, partitions.length)): PartitionRun[] {
  return partitions.map((partition) => ({
    partition,
    search: new WglSearch(partition.model, partition.ops, maxBytes),
    status: 'running',
    elapsedMs: 0,
  }));
}

/**
 * Round-robin over unfinished partitions until all finish, one fails, time
 * runs out or `cancelled()` says stop. Resumable: work(ms) returns after
 * about ms, so a caller can interleave other work (e.g. worker messages).
 */
export class RoundRobin {
  private slice = FIRST_SLICE;
  private active: PartitionRun[];
  /** True once a partition was refuted (the others are then cancelled). */
  refuted = false;

  constructor(
    readonly runs: PartitionRun[],
    private readonly deadline: number,
    private readonly cancelled: () => boolean = () => false,
  ) {
    this.active = runs.filter((r) => r.status === 'running');
  }

  get finished(): boolean {
    return this.active.length === 0;
  }

  /** Stop every unfinished partition with this status. */
  stop(status: 'timeout' | 'cancelled'): void {
    for (const r of this.active) if (r.status === 'running') r.status = status;
    this.active = [];
  }

  /** Search for about `ms` milliseconds, or until finished; true when finished. */
  work(ms = Infinity): boolean {
    const until = performance.now() + ms;
    while (this.active.length > 0) {
      for (const run of this.active) {
        const t0 = performance.now();
        if (t0 > this.deadline) this.stop('timeout');
        else if (this.cancelled()) this.stop('cancelled');
        if (this.active.length === 0) return true;
        // A lone partition needs no slicing beyond the deadline checks.
        run.status = run.search.run(this.active.length === 1 ? MAX_SLICE : this.slice);
        run.elapsedMs += performance.now() - t0;
        if (run.status === 'invalid') {
          this.refuted = true;
          this.stop('cancelled');
          return true;
        }
      }
      this.active = this.active.filter((r) => r.status === 'running');
      this.slice = Math.min(MAX_SLICE, this.slice * 2);
      if (performance.now() > until) break;
    }
    return this.active.length === 0;
  }
}

/** Effort the search for a longer prefix may spend after a refutation: about the verdict's own, within bounds. */
const EXPLAIN_MIN_STEPS = 50_000;
const EXPLAIN_MIN_MS = 20;
const EXPLAIN_MAX_MS = 1000;

/**
 * The verdict search prunes hard (pruning 4), so its deepest prefix can stop
 * short of where the history really breaks. To explain a failure, search the
 * partition again without that pruning, for a bounded effort, and keep
 * whichever search got deeper.
 */
function explainingSearch(run: PartitionRun): WglSearch {
  const { search, partition } = run;
  if (!partition.model.reachable) return search;
  const plain = new WglSearch(partition.model, partition.ops, search.maxBytes, false);
  const limit = Math.max(EXPLAIN_MIN_STEPS, search.steps * 4);
  const until = performance.now() + Math.min(EXPLAIN_MAX_MS, Math.max(EXPLAIN_MIN_MS, run.elapsedMs));
  while (plain.run(20_000) === 'running' && plain.steps < limit && performance.now() < until);
  return plain.deepest > search.deepest ? plain : search;
}

function unknownReason(status: PartitionRun['status']): UnknownReason | undefined {
  return status === 'timeout' || status === 'cancelled' || status === 'memory' ? status : undefined;
}

export function partitionResult(run: PartitionRun): PartitionResult {
  const { search, partition } = run;
  const model = partition.model;
  const valid = run.status === 'valid' ? true : run.status === 'invalid' ? false : 'unknown';
  const result: PartitionResult = {
    key: partition.key,
    valid,
    opCount: partition.ops.length,
    progress: {
      steps: search.steps,
      configurations: search.configurations,
      // The deepest point reached, not the deepest dead end: a search that never had to
      // backtrack has met no dead end at all.
      deepest: search.maxDepth,
      memoryBytes: search.bytes(),
      elapsedMs: Math.round(run.elapsedMs * 1000) / 1000,
    },
  };
  const reason = unknownReason(run.status);
  if (reason) result.unknownReason = reason;
  if (valid === false) result.counterexample = counterexample(model, explainingSearch(run));
  if (valid !== true) result.ops = describeOps(model, search);
  return result;
}

export function assemble(
  modelName: string,
  prepared: { opCount: number; dropped: LinearizabilityDetails['dropped'] },
  runs: readonly PartitionRun[],
  elapsedMs: number,
  results: PartitionResult[] = runs.map((r) => partitionResult(r)),
): LinearizabilityResult {
  const order = (p: PartitionResult) => (p.valid === false ? 0 : p.valid === 'unknown' ? (p.unknownReason === 'cancelled' ? 2 : 1) : 3);
  const partitions = [...results].sort((a, b) => order(a) - order(b));
  // Cancelled partitions only matter when nothing failed; a failure decides alone.
  const anyFalse = partitions.some((p) => p.valid === false);
  const valid = anyFalse ? false : worstValidity(partitions.map((p) => p.valid));
  const firstUnknown = partitions.find((p) => p.valid === 'unknown');
  const details: LinearizabilityDetails = {
    model: modelName,
    opCount: prepared.opCount,
    dropped: prepared.dropped,
    partitionCount: partitions.length,
    partitions,
    elapsedMs: Math.round(elapsedMs * 1000) / 1000,
  };
  if (valid === 'unknown' && firstUnknown?.unknownReason) details.unknownReason = firstUnknown.unknownReason;
  return { checker: 'linearizability', valid, summary: summarize(valid, details), details };
}

/** Long state texts (kv values, sets) cut for one-line summaries. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function where(p: PartitionResult): string {
  return p.key === null ? '' : `key ${JSON.stringify(p.key)}: `;
}

function summarize(valid: true | false | 'unknown', d: LinearizabilityDetails): string {
  const parts = d.partitionCount > 1 ? ` in ${d.partitionCount} partitions` : '';
  if (valid === true) return `linearizable: ${d.opCount} ops${parts} fit the ${d.model} model`;
  if (valid === false) {
    const p = d.partitions[0];
    const ce = p.counterexample!;
    const blocking = ce.stuck.find((s) => s.op === ce.blockingOp);
    const what = blocking ? `op ${blocking.op} (${blocking.description})` : 'an op';
    return (
      `not linearizable: ${where(p)}${what} cannot be placed before it returned; ` +
      `longest linearizable prefix ${ce.longestPrefix.length} of ${p.opCount} ops, state then ${clip(ce.statesAtFailure[0] ?? '?', 100)}` +
      (ce.statesAtFailure.length > 1 ? ` (or ${ce.statesAtFailure.length - 1} other states)` : '')
    );
  }
  const p = d.partitions[0];
  const why = { timeout: 'ran out of time', memory: 'ran out of memory', cancelled: 'was cancelled' }[d.unknownReason ?? 'timeout'];
  return (
    `unknown: the search ${why} (${where(p)}deepest ${p.progress.deepest} of ${p.opCount} ops linearized, ` +
    `${p.progress.configurations} configurations explored)`
  );
}
