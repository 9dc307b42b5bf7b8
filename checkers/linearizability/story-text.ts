// The smallest story in words: one sentence per reduction, to be read like a
// proof, then the ops left and the checker's own account of why they have no
// order.
import { describeCall, type Model } from '../models/model.ts';
import { describeLinearizabilityResult } from './describe.ts';
import { droppable, storyCall, type StoryOp } from './reductions.ts';
import type { LinearizabilityResult, ShrinkStep } from './result.ts';

/** What the shrinker did, as it did it. */
export interface Telling {
  model: Model;
  key: string | null;
  /** Client ops of the original history. */
  original: number;
  steps: ShrinkStep[];
  /** The op whose return is the cut, and the later one if the story was cut again. */
  cut?: StoryOp;
  recut?: StoryOp;
  dropped: StoryOp[];
  relaxed: StoryOp[];
}

/** Ops listed one by one at most; a longer story is told by the checker's lines alone. */
const MAX_LISTED = 20;

export function tellStory(t: Telling, left: readonly StoryOp[], verdict: LinearizabilityResult, ranOut?: { checks: number; elapsedMs: number }): string[] {
  const lines: string[] = [];
  const step = (name: ShrinkStep['step'], nth = 0) => t.steps.filter((s) => s.step === name)[nth];
  const timed = [...left, ...t.dropped].some((o) => o.invoke.time > 0);
  const describe = (o: StoryOp) => describeCall(t.model, storyCall(o));
  const when = (o: StoryOp) => `${timed ? `at ${seconds(o.completion!.time)} s, ` : ''}where op ${o.invoke.index} (${describe(o)}) returned`;

  const key = step('key');
  if (key && t.key !== null) {
    lines.push(`Keep key ${JSON.stringify(t.key)}: its ${key.after} ops alone cannot be ordered (keys are independent, so one key is proof enough); ${key.before - key.after} ops of other keys left out.`);
  }
  const cut = step('truncate');
  if (t.cut && cut) {
    lines.push(
      `Cut ${when(t.cut)}: the ${cut.after} ops called by then already have no order; ${cut.before - cut.after} left out ` +
        `(ops called later, and reads still running; writes still running count as "may have happened").`,
    );
  }
  const reads = t.dropped.filter((o) => o.completion?.type !== 'fail').length;
  const failed = t.dropped.length - reads;
  if (t.dropped.length) lines.push(`Dropped ${[count(reads, 'read'), count(failed, 'failed op')].filter(Boolean).join(' and ')} that the contradiction does not need.`);
  if (t.relaxed.length) {
    lines.push(`${count(t.relaxed.length, 'acknowledged op')} (${byFunction(t.relaxed)}) relaxed to "may have happened" (any time after the call, or never): the contradiction does not need their acknowledgements.`);
  }
  const recut = step('truncate', 1);
  if (t.recut && recut) lines.push(`Cut again ${when(t.recut)}: ${recut.before - recut.after} more ops called later left out.`);
  if (left.some((o) => !droppable(o, t.model))) lines.push('Ops that change the state are never dropped, even when nobody read them: one may be what a read saw.');
  if (ranOut) lines.push(`Not fully minimized (budget): stopped after ${ranOut.checks} searches in ${Math.round(ranOut.elapsedMs)} ms; the story is proven, perhaps not the smallest.`);

  lines.push(`The ${left.length} ops left cannot be linearized${left.length <= MAX_LISTED ? ':' : '.'}`);
  if (left.length <= MAX_LISTED) {
    for (const o of left) {
      const end = o.completion === undefined || o.completion.type === 'info' ? '∞' : timed ? seconds(o.completion.time) : `op ${o.completion.index}`;
      const span = timed ? `${seconds(o.invoke.time)}–${end} s` : `until ${end}`;
      lines.push(`  op ${o.invoke.index} (process ${o.invoke.process}, ${span}): ${describe(o)}${o.relaxed ? ' — acknowledged in the run, "may have happened" here' : ''}`);
    }
  }
  for (const line of describeLinearizabilityResult(verdict)) lines.push(`  ${line}`);
  return lines;
}

function seconds(ns: number): string {
  return (ns / 1e9).toFixed(3);
}

function count(n: number, noun: string): string {
  return n === 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "write ×2, cas ×1" */
function byFunction(ops: readonly StoryOp[]): string {
  const counts = new Map<string, number>();
  for (const o of ops) counts.set(o.invoke.f, (counts.get(o.invoke.f) ?? 0) + 1);
  return [...counts].map(([f, n]) => `${f} ×${n}`).join(', ');
}
