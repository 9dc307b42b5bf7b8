// shrinkCounterexample: a history the checker refuted -> the fewest ops that
// still cannot be linearized, so a report can tell the smallest story of the
// bug. Four sound reductions (reductions.ts, each with its proof), in order:
//   key           keep the one key whose ops cannot be ordered;
//   truncate      cut where the ops so far first have no order (binary search: invalidity is monotone in the cut);
//   drop-reads    drop the reads and failed ops the contradiction does not need (delta debugging);
//   relax-writes  make ok writes "may have happened" where the contradiction survives (delta debugging),
// then one more cut, since a smaller story may break earlier. A candidate is
// kept only when the search proves it still not linearizable (refuter.ts);
// as every reduction is sound, that proves the original run not linearizable
// too. Writes that completed ok or info are never dropped (see reductions.ts).
import type { Op } from '../../history/index.ts';
import type { Model } from '../models/model.ts';
import { checkLinearizability } from './check.ts';
import { chooseGreedily } from './delta.ts';
import { cutPoints, droppable, dropOps, historyOf, relaxable, relaxOps, restrictToKey, storyOf, truncateAt, type Story, type StoryOp } from './reductions.ts';
import { Refuter } from './refuter.ts';
import type { LinearizabilityResult, ShrinkStep, SmallestStory } from './result.ts';
import { tellStory, type Telling } from './story-text.ts';

export interface ShrinkOptions {
  /**
   * The key already known to fail (from the checker's result), so it need not
   * be searched for; null: check the history as one (partitioning off).
   */
  key?: string | null;
  /** Stop shrinking after this long (the story so far is still proven). Default 10 s. */
  timeoutMs?: number;
  /** Most searches in all. Default 2,000. */
  maxChecks?: number;
  /**
   * Most search steps per candidate history (at least 4 times what proving
   * the history itself took); a search cut short keeps nothing. Default 200,000.
   */
  stepsPerCheck?: number;
  /** Memory of one search's caches. Default 256 MiB. */
  maxMemoryBytes?: number;
}

const DEFAULTS: Required<Omit<ShrinkOptions, 'key'>> = { timeoutMs: 10_000, maxChecks: 2_000, stepsPerCheck: 200_000, maxMemoryBytes: 256 << 20 };
const STEPS_OVER_ANCHOR = 4;

/**
 * The smallest story of a non-linearizable history, or undefined when the
 * search could not prove `history` (or its failing key) non-linearizable
 * within the budget.
 */
export function shrinkCounterexample(history: readonly Op[], model: Model, options: ShrinkOptions = {}): SmallestStory | undefined {
  const started = performance.now();
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const refuter = new Refuter(model, { maxChecks: o.maxChecks, deadline: started + o.timeoutMs, stepsPerCheck: o.stepsPerCheck, maxMemoryBytes: o.maxMemoryBytes });

  let story: StoryOp[] = storyOf(history);
  const telling: Telling = { model, key: null, original: story.length, steps: [], dropped: [], relaxed: [] };
  const apply = (step: ShrinkStep['step'], next: StoryOp[]) => {
    telling.steps.push({ step, before: story.length, after: next.length });
    story = next;
  };

  if (model.partition && options.key !== null) {
    const key = options.key ?? refuter.failingKey(history);
    if (key === undefined || key === null) return undefined;
    telling.key = key;
    apply('key', restrictToKey(story, model, key));
  }
  // The anchor: the checker refuted this already, so its search gets all the time left;
  // candidates then get a few times the steps it took (smaller histories are rarely harder).
  if (!refuter.refutes(historyOf(story), Infinity)) return undefined;
  refuter.budget.stepsPerCheck = Math.max(o.stepsPerCheck, STEPS_OVER_ANCHOR * refuter.lastSteps);

  const cut = cutStep(story, model, refuter);
  if (cut) {
    telling.cut = cut.at;
    apply('truncate', cut.story);
  }
  const drop = dropStep(story, model, refuter);
  telling.dropped = drop.dropped;
  apply('drop-reads', drop.story);
  const relax = relaxStep(story, model, refuter);
  telling.relaxed = relax.relaxed;
  apply('relax-writes', relax.story);
  // A smaller story may break earlier.
  const recut = cutStep(story, model, refuter);
  if (recut && recut.story.length < story.length) {
    telling.recut = recut.at;
    apply('truncate', recut.story);
  }

  const reduced = historyOf(story);
  // Every story kept was refuted, so this cannot be anything but invalid; it also explains it.
  const verdict = checkLinearizability(reduced, model, { timeoutMs: o.timeoutMs, maxMemoryBytes: o.maxMemoryBytes });
  const partition = verdict.details.partitions.find((p) => p.valid === false);
  if (verdict.valid !== false || !partition) return undefined;
  const minimized = !refuter.ranOut && refuter.undecided === 0;
  const elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
  return {
    originalOpCount: telling.original,
    opCount: story.length,
    key: telling.key,
    history: reduced,
    relaxed: story.filter((x) => x.relaxed).map((x) => x.invoke.index),
    steps: telling.steps,
    explanation: tellStory(telling, story, verdict, minimized ? undefined : { checks: refuter.checks, elapsedMs }),
    minimized,
    checks: refuter.checks,
    elapsedMs,
    partition,
  };
}

// The steps. Each takes a story the refuter proved not linearizable and
// returns one it proved so too (or the same story), by sound reductions only.

/** Step 'truncate': the story cut at the earliest ok completion where it is already refuted; undefined when no cut is proven. */
export function cutStep(story: Story, model: Model, refuter: Refuter): { story: StoryOp[]; at: StoryOp } | undefined {
  const cuts = cutPoints(story);
  if (cuts.length === 0) return undefined;
  // The last cut only leaves out indeterminate ops called after the last return: the anchor.
  let hi = cuts.length - 1;
  let best = truncateAt(story, model, cuts[hi]);
  if (!refuter.refutes(historyOf(best))) return undefined;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const candidate = truncateAt(story, model, cuts[mid]);
    if (refuter.refutes(historyOf(candidate))) {
      hi = mid;
      best = candidate;
    } else lo = mid + 1;
  }
  return { story: best, at: best.find((x) => x.completionPos === cuts[hi])! };
}

/** Step 'drop-reads': every failed op (they did not happen: no search needed), and the reads the refutation survives without. */
export function dropStep(story: Story, model: Model, refuter: Refuter): { story: StoryOp[]; dropped: StoryOp[] } {
  const failed = new Set(story.filter((x) => x.completion?.type === 'fail').map((x) => x.pos));
  const reads = story.filter((x) => droppable(x, model) && !failed.has(x.pos)).map((x) => x.pos);
  const withoutFailed = dropOps(story, model, failed);
  const chosen = chooseGreedily(reads, (some) => refuter.refutes(historyOf(dropOps(withoutFailed, model, new Set(some)))), () => !refuter.mayContinue());
  const dropped = new Set([...failed, ...chosen]);
  return { story: dropOps(story, model, dropped), dropped: story.filter((x) => dropped.has(x.pos)) };
}

/** Step 'relax-writes': the ok state-changing ops whose acknowledgement the refutation survives without. */
export function relaxStep(story: Story, model: Model, refuter: Refuter): { story: StoryOp[]; relaxed: StoryOp[] } {
  const writes = story.filter((x) => relaxable(x, model)).map((x) => x.pos);
  const chosen = new Set(chooseGreedily(writes, (some) => refuter.refutes(historyOf(relaxOps(story, model, new Set(some)))), () => !refuter.mayContinue()));
  return { story: relaxOps(story, model, chosen), relaxed: story.filter((x) => chosen.has(x.pos)) };
}

/**
 * The checker's invalid result with its smallest story in details.minimal,
 * when the shrinking proves one smaller than the history; any other result
 * as it was.
 */
export function withSmallestStory(result: LinearizabilityResult, history: readonly Op[], model: Model, options: ShrinkOptions = {}): LinearizabilityResult {
  const failing = result.details.partitions.find((p) => p.valid === false);
  if (result.valid !== false || !failing) return result;
  const minimal = shrinkCounterexample(history, model, { ...options, key: failing.key });
  if (!minimal || minimal.opCount >= minimal.originalOpCount) return result;
  return { ...result, details: { ...result.details, minimal } };
}
