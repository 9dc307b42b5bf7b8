// The shrinker's only moves: reductions of a history H to a smaller H' that
// are SOUND, i.e.
//
//     H linearizable  ==>  H' linearizable.
//
// Read backwards: once the search proves H' not linearizable, H is not
// either, so the small story is evidence about the run, never a new story.
// Each reduction below carries its proof. A linearization L of H is a total
// order of H's completed ops and some of its indeterminate ones that respects
// real time (a before b when a returned before b was called) and that the
// model accepts from its initial state.
//
// What is NOT here, on purpose: removing a write (or any op that changes the
// state) that completed ok or info. It is not sound: the removed write may be
// what some read saw, and without it that read is impossible, so H' would be
// non-linearizable although H was fine (the story would blame an innocent
// read). Only writes that certainly did not happen (fail) may go.
import type { Op } from '../../history/index.ts';
import type { Call, Model } from '../models/model.ts';
import { callOf, matchCompletions } from './prepare.ts';

/** One client op of a history being shrunk, as records of the original history. */
export interface StoryOp {
  invoke: Op;
  /** Position of the invoke in the original history: the op's identity here. */
  pos: number;
  /** Undefined when the op never completed. Type 'info' where the original said ok if `relaxed`. */
  completion: Op | undefined;
  /** Position of the completion in the original history; Infinity when there is none. */
  completionPos: number;
  /** Completed ok in the original run, indeterminate ('may have happened') here. */
  relaxed: boolean;
}

export type Story = readonly StoryOp[];

/**
 * The client ops of a history, paired exactly as the search pairs them.
 * Nemesis ops and completions without an invoke are left out: the search
 * ignores them, so this is no reduction at all.
 */
export function storyOf(history: readonly Op[]): StoryOp[] {
  const completionOf = matchCompletions(history);
  const story: StoryOp[] = [];
  history.forEach((op, pos) => {
    if (op.type !== 'invoke' || op.process === 'nemesis') return;
    const c = completionOf[pos];
    story.push({ invoke: op, pos, completion: c >= 0 ? history[c] : undefined, completionPos: c >= 0 ? c : Infinity, relaxed: false });
  });
  return story;
}

/**
 * The records of a story, in their original order, with their original
 * index and time. Keeping or dropping whole ops never changes how the search
 * pairs the rest: per process a completion pops the last open invoke, and
 * removing a matched pair leaves every other pair matched alike.
 */
export function historyOf(story: Story): Op[] {
  const records: [number, Op][] = [];
  for (const o of story) {
    records.push([o.pos, o.invoke]);
    if (o.completion) records.push([o.completionPos, o.completion]);
  }
  return records.sort((a, b) => a[0] - b[0]).map(([, op]) => op);
}

export function storyCall(o: StoryOp): Call {
  return callOf(o.invoke, o.completion);
}

const failed = (o: StoryOp) => o.completion?.type === 'fail';
const readOnly = (o: StoryOp, model: Model) => model.readOnly?.(storyCall(o)) === true;
const indeterminate = (o: StoryOp) => o.completion === undefined || o.completion.type === 'info';

/** The same op, its outcome unknown from now on: it may take effect at any time after its call, or never. */
function relax(o: StoryOp): StoryOp {
  if (indeterminate(o)) return o;
  return { ...o, completion: { ...o.completion!, type: 'info' }, relaxed: true };
}

/**
 * 1. Keep one key's ops. Sound by locality (Herlihy & Wing; the model's
 * partitions are independent objects): H is linearizable iff every key's
 * sub-history is, so a linearization of H restricted to key k is one of H|k.
 * Models without partitions have nothing to restrict.
 */
export function restrictToKey(story: Story, model: Model, key: string): StoryOp[] {
  if (!model.partition) return [...story];
  return story.filter((o) => model.partition!(storyCall(o)) === key);
}

/** Cut points worth trying: positions of ok completions, ascending (see truncateAt). */
export function cutPoints(story: Story): number[] {
  return story.filter((o) => o.completion?.type === 'ok').map((o) => o.completionPos).sort((a, b) => a - b);
}

/**
 * 2. Cut the history at position `cut`: ops completed by then stay as they
 * were; ops still running at the cut become indeterminate if they change the
 * state, and are dropped if they are reads or failed; ops called after the cut
 * are dropped.
 *
 * Sound: take L, a linearization of H, and let P be its prefix before the
 * first op called after the cut. Every op that completed by the cut comes
 * before any op called after it (real time), so P holds all of them. P is
 * legal (a prefix of a legal order), stays legal without its reads (a read
 * leaves the state as it was) and without failed ops (the search ignores
 * them), and places the now-indeterminate ops after their calls, where an
 * indeterminate op may go; those of them outside P simply never took effect.
 * Real-time constraints of H' are a subset of H's (returns only moved to
 * infinity). So P, thus trimmed, linearizes H'. This relies on one property
 * of models: an indeterminate op admits every effect its completed form had
 * (true of every model here: mutations act by their input, and an unseen
 * result is expanded into every possible one).
 *
 * Monotone in the cut, so a binary search finds the earliest invalid cut:
 * cutting H_t' (t < t') at t gives exactly H_t, so H_t' linearizable implies
 * H_t linearizable, i.e. once invalid, invalid at every later cut.
 */
export function truncateAt(story: Story, model: Model, cut: number): StoryOp[] {
  const out: StoryOp[] = [];
  for (const o of story) {
    if (o.pos > cut) continue;
    if (o.completionPos <= cut) out.push(o);
    else if (!failed(o) && !readOnly(o, model)) out.push(relax(o));
  }
  return out;
}

/**
 * Ops step 3 may drop: failed ops, and reads (ops the model says never change
 * the state). Sound: L without a read is still legal (the read left the state
 * as it was, so every later op sees the same state) and respects real time
 * (fewer ops, fewer constraints); a failed op did not happen and the search
 * ignores it, so dropping it changes nothing.
 */
export function droppable(o: StoryOp, model: Model): boolean {
  return failed(o) || readOnly(o, model);
}

/** 3. Drop the ops at these positions, those of them that are droppable (others stay: see the file's head). */
export function dropOps(story: Story, model: Model, positions: ReadonlySet<number>): StoryOp[] {
  return story.filter((o) => !(positions.has(o.pos) && droppable(o, model)));
}

/** Ops step 4 may relax: state-changing ops that completed ok. */
export function relaxable(o: StoryOp, model: Model): boolean {
  return o.completion?.type === 'ok' && !readOnly(o, model);
}

/**
 * 4. Make these ok ops indeterminate (they "may have happened"). Sound: L
 * itself linearizes H'. An indeterminate op may take effect anywhere after its
 * call, so where L put it is still allowed; its return moved to infinity,
 * which only removes real-time constraints; and the model admits the effect it
 * had (see truncateAt).
 */
export function relaxOps(story: Story, model: Model, positions: ReadonlySet<number>): StoryOp[] {
  return story.map((o) => (positions.has(o.pos) && relaxable(o, model) ? relax(o) : o));
}
