// Turns the linearizability checker's evidence into what the page draws, as
// Porcupine's visualizer does: per-process bars of the failing partition, the
// longest linearizable prefix (in order, with the model state after each op),
// the op(s) that could not be linearized and the state(s) before them.
import type { Op } from '../history/index.ts';
import type { CheckResult } from '../checkers/index.ts';
import type { LinearizabilityDetails, PartitionResult, SmallestStory } from '../checkers/linearizability/index.ts';
import { round3 } from './series.ts';

export interface CounterexampleOp {
  /** Operation id in the report (for "show record"), -1 if the op is not in the history. */
  id: number;
  /** History index of the invoke. */
  op: number;
  process: string;
  description: string;
  /** ms since test start; end null = never returned (indeterminate: "at infinity"). */
  start: number;
  end: number | null;
  /** Position in the longest linearizable prefix (0-based), null if not in it. */
  linearizedAt: number | null;
  /** Model state after this op, when it is in the prefix. */
  stateAfter?: string;
  /** Why the model refused it, when it could not be linearized. */
  stuckReason?: string;
}

export interface CounterexampleView {
  checker: string;
  key: string | null;
  opCount: number;
  ops: CounterexampleOp[];
  /** Ops of the partition left out of the drawing (large partitions are cut to the failure's neighbourhood). */
  omitted: number;
  prefixLength: number;
  statesAtFailure: string[];
  /** Operation id to jump to: the first op that could not be linearized. */
  firstError: number;
  /**
   * When the anomaly became certain, ms since the start: the return of the op
   * that blocked every order (or the last return among the stuck ops) — not
   * the invoke of the op the search blamed.
   */
  anomalyAt: number;
  /** The checker's smallest story of this failure (details.minimal), when it shrank one. */
  smallest?: SmallestStoryView;
}

export interface SmallestStoryView {
  opCount: number;
  originalOpCount: number;
  /** The story in words, as `faultline check` prints it. */
  explanation: string[];
  /** Operation ids of the ops left. */
  ops: number[];
}

/** Most failing partitions drawn, and most ops drawn per partition. */
const MAX_PARTITIONS = 5;
const MAX_OPS = 300;

export function counterexampleViews(
  checkers: readonly CheckResult[],
  opAt: (index: number) => Op | undefined,
  operationIdOf: (invokeIndex: number) => number,
): CounterexampleView[] {
  const views: CounterexampleView[] = [];
  for (const result of checkers) {
    const details = result.details as Partial<LinearizabilityDetails> | undefined;
    if (result.valid !== false || !Array.isArray(details?.partitions)) continue;
    for (const partition of details.partitions) {
      if (views.length >= MAX_PARTITIONS) return views;
      if (partition.valid === false && partition.counterexample && Array.isArray(partition.ops)) {
        const view = partitionView(result.checker, partition, opAt, operationIdOf);
        const story = details.minimal;
        if (story && story.key === partition.key) view.smallest = storyView(story, operationIdOf);
        views.push(view);
      }
    }
  }
  return views;
}

function partitionView(
  checker: string,
  partition: PartitionResult,
  opAt: (index: number) => Op | undefined,
  operationIdOf: (invokeIndex: number) => number,
): CounterexampleView {
  const cx = partition.counterexample!;
  const position = new Map(cx.longestPrefix.map((step, i) => [step.op, i]));
  const stuck = new Map(cx.stuck.map((s) => [s.op, s.reason]));
  const all: CounterexampleOp[] = (partition.ops ?? []).map((lin) => {
    const completion = lin.completion === null || lin.indeterminate ? undefined : opAt(lin.completion);
    const at = position.get(lin.op);
    const view: CounterexampleOp = {
      id: operationIdOf(lin.op),
      op: lin.op,
      process: String(lin.process),
      description: lin.description,
      start: round3((opAt(lin.op)?.time ?? 0) / 1e6),
      end: completion ? round3(completion.time / 1e6) : null,
      linearizedAt: at ?? null,
    };
    if (at !== undefined) view.stateAfter = cx.longestPrefix[at].state;
    if (stuck.has(lin.op)) view.stuckReason = stuck.get(lin.op);
    return view;
  });
  const failing = all.filter((o) => o.stuckReason !== undefined);
  const firstErrorOp = failing[0]?.op ?? cx.blockingOp ?? cx.longestPrefix.at(-1)?.op ?? -1;
  const returned = (o: CounterexampleOp) => o.end ?? o.start;
  const blocking = cx.blockingOp === null ? undefined : all.find((o) => o.op === cx.blockingOp);
  const anomalyAt = blocking ? returned(blocking) : failing.length ? Math.max(...failing.map(returned)) : (all.at(-1)?.start ?? 0);
  return {
    checker,
    key: partition.key,
    opCount: partition.opCount,
    ops: neighbourhood(all, failing, cx.longestPrefix.length),
    omitted: Math.max(0, all.length - MAX_OPS),
    prefixLength: cx.longestPrefix.length,
    statesAtFailure: cx.statesAtFailure,
    firstError: firstErrorOp >= 0 ? operationIdOf(firstErrorOp) : -1,
    anomalyAt,
  };
}

function storyView(story: SmallestStory, operationIdOf: (invokeIndex: number) => number): SmallestStoryView {
  const ops = story.history.filter((op) => op.type === 'invoke').map((op) => operationIdOf(op.index));
  return { opCount: story.opCount, originalOpCount: story.originalOpCount, explanation: story.explanation, ops };
}

/** A large partition is cut to the ops nearest in time to where linearization got stuck. */
function neighbourhood(all: CounterexampleOp[], failing: CounterexampleOp[], prefixLength: number): CounterexampleOp[] {
  if (all.length <= MAX_OPS) return all;
  const anchor = failing[0] ?? all.find((o) => o.linearizedAt === prefixLength - 1) ?? all[0];
  const distance = (o: CounterexampleOp) => Math.abs(o.start - anchor.start);
  const kept = new Set(failing);
  for (const o of [...all].sort((a, b) => distance(a) - distance(b))) {
    if (kept.size >= MAX_OPS) break;
    kept.add(o);
  }
  return all.filter((o) => kept.has(o));
}
