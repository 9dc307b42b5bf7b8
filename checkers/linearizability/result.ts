// What the linearizability checker returns. Everything here is plain JSON
// (no Maps, no bigints, no class instances), so results.json and the HTML
// report can use it as is.
//
// Ops are referred to by the `index` of their INVOKE record in the history
// (`op`), with the index of their completion alongside (`completion`, null
// when the op never completed or completed with :info, i.e. its effect is
// indeterminate and its return is "at infinity").
import type { Op } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';

/** One operation of a partition, as the report draws it (a bar from call to return). */
export interface LinOp {
  /** History index of the invoke record: the op's identity everywhere in these results. */
  op: number;
  /** History index of the completion (ok or info); null if the op never completed. */
  completion: number | null;
  /** True when the outcome is indeterminate (:info or no completion): return at infinity. */
  indeterminate: boolean;
  process: number | string;
  f: string;
  /** Human text from the model, e.g. "write 3", "cas 1->2", "read -> 4", "put k=x". */
  description: string;
}

/** One step of a linearization: this op took effect, leaving the model in `state`. */
export interface LinStep {
  /** Invoke index of the op (see LinOp.op). */
  op: number;
  /** The model's state after the op, as the model describes it. */
  state: string;
}

/**
 * A partial linearization: ops placed in this order are consistent with the
 * model and with real time, but the search could not extend it to cover every
 * completed op. Like Porcupine's visualisation data.
 */
export interface PartialLinearization {
  steps: LinStep[];
}

/** An op the search could not place next, and why, from one end state. */
export interface StuckOp {
  /** Invoke index of the op. */
  op: number;
  description: string;
  /** Why the model refused it in that state, e.g. "read 2 but the value is 0". */
  reason: string;
}

/** Why a partition (or the whole check) is invalid: the evidence a report draws. */
export interface Counterexample {
  /** The longest prefix the search managed to linearize (deepest point it reached). */
  longestPrefix: LinStep[];
  /** Model state(s) at the end of that prefix (distinct states reached at the same depth). */
  statesAtFailure: string[];
  /**
   * The op(s) that could not be linearized next: ops that had to take effect
   * before the next completed op returned, none of which the model accepts
   * in those states (their call precedes the first pending return).
   */
  stuck: StuckOp[];
  /** The first op whose return the search could never get past (it must precede something impossible). */
  blockingOp: number | null;
  /** A handful of the longest partial linearizations found, longest first. */
  partialLinearizations: PartialLinearization[];
}

/** Why the search gave up without a verdict. */
export type UnknownReason = 'timeout' | 'memory' | 'cancelled';

export interface SearchProgress {
  /** Model steps taken (attempts to place an op). */
  steps: number;
  /** Distinct (linearized set, state) configurations remembered. */
  configurations: number;
  /** Most ops linearized at once, out of opCount. */
  deepest: number;
  /** Bytes held by the search's cache and transition table at the end. */
  memoryBytes: number;
  elapsedMs: number;
}

/** The verdict for one partition (one key for kv models; the whole history otherwise). */
export interface PartitionResult {
  /** Partition label (the key, as text), or null when the model does not partition. */
  key: string | null;
  valid: true | false | 'unknown';
  /** Ops in this partition (fail ops excluded). */
  opCount: number;
  progress: SearchProgress;
  /** Present when valid === 'unknown'. */
  unknownReason?: UnknownReason;
  /** Present when valid === false. */
  counterexample?: Counterexample;
  /** Every op of the partition, for drawing. Present when valid !== true. */
  ops?: LinOp[];
}

/** `details` of a linearizability CheckResult. */
export interface LinearizabilityDetails {
  model: string;
  /** Ops checked (completed + indeterminate; fail ops and nemesis ops excluded). */
  opCount: number;
  /** Ops dropped before the search: fail completions and indeterminate read-only ops. */
  dropped: { failed: number; indeterminateReads: number };
  partitionCount: number;
  /** Failing and unknown partitions first, then (briefly) the valid ones. */
  partitions: PartitionResult[];
  /** Worker threads that searched some partitions (checkLinearizabilityParallel), when any did. */
  workers?: number;
  /** Set when valid === 'unknown': the first reason met. */
  unknownReason?: UnknownReason;
  elapsedMs: number;
  /** When invalid: the counterexample shrunk to the fewest ops that still cannot be linearized (shrink.ts). */
  minimal?: SmallestStory;
}

/** One reduction the shrinker applied, with the client ops before and after it. */
export interface ShrinkStep {
  step: 'key' | 'truncate' | 'drop-reads' | 'relax-writes';
  before: number;
  after: number;
}

/**
 * A smaller history that is still not linearizable, made by sound reductions
 * only (checkers/linearizability/reductions.ts): it being non-linearizable
 * proves the original is not either.
 */
export interface SmallestStory {
  /** Client ops of the original history. */
  originalOpCount: number;
  /** Client ops left. */
  opCount: number;
  /** The key kept (partitioned models), else null. */
  key: string | null;
  /** The records left, with their original index and time; ops in `relaxed` end with info here. */
  history: Op[];
  /** Invoke indexes of ops that completed ok in the run but count as "may have happened" here. */
  relaxed: number[];
  steps: ShrinkStep[];
  /** The story in words, step by step, ending with the checker's explanation of the ops left. */
  explanation: string[];
  /** False when a budget ended the shrinking before every reduction was tried. */
  minimized: boolean;
  /** Searches the shrinking ran. */
  checks: number;
  elapsedMs: number;
  /** The checker's verdict on `history`: its counterexample and ops, described by the model. */
  partition: PartitionResult;
}

export interface LinearizabilityResult extends CheckResult {
  checker: 'linearizability';
  details: LinearizabilityDetails;
}
