// Turn a failed search into evidence a person can follow: the longest
// linearization found, the op that blocked it and why the model refused the
// candidates, in the model's own words.
import { describeCall, describeState, type Model } from '../models/model.ts';
import type { Counterexample, LinOp, LinStep, StuckOp } from './result.ts';
import { endState, type Snapshot, type WglSearch } from './search.ts';
import { ILLEGAL } from './state-space.ts';

/** Every op of a partition, for drawing. */
export function describeOps(model: Model, search: WglSearch): LinOp[] {
  // Alternatives of one indeterminate op (same op index) are listed once.
  const seen = new Set<number>();
  const ops = search.ops.filter((o) => !seen.has(o.op) && seen.add(o.op));
  return ops.map((o) => ({
    op: o.op,
    completion: o.completion,
    indeterminate: o.returnPos === Infinity,
    process: o.process,
    f: o.call.f,
    description: describeCall(model, o.call),
  }));
}

function steps(model: Model, search: WglSearch, snap: Snapshot): LinStep[] {
  return Array.from(snap.ops, (id, k) => ({
    op: search.ops[id].op,
    state: describeState(model, search.space.states[snap.states[k]]),
  }));
}

export function counterexample(model: Model, search: WglSearch): Counterexample {
  const snaps = search.snapshots.length ? search.snapshots : [{ ops: new Int32Array(0), states: new Int32Array(0), culprit: -1 }];
  const best = snaps[0];
  const ops = search.ops;
  const placed = new Set(best.ops);
  const state = endState(best);

  // The op whose return came first among those not placed: it had to be placed before
  // that point, and no candidate ordering allowed it.
  let firstReturn = -1;
  for (let i = 0; i < ops.length; i++) {
    if (placed.has(i) || ops[i].returnPos === Infinity) continue;
    if (firstReturn < 0 || ops[i].returnPos < ops[firstReturn].returnPos) firstReturn = i;
  }
  // The search may have named it, or a read it found impossible to satisfy (pruning 4).
  const blocking = best.culprit >= 0 ? best.culprit : firstReturn;
  const stuck: StuckOp[] = [];
  if (blocking >= 0 && blocking !== firstReturn) {
    stuck.push({
      op: ops[blocking].op,
      description: describeCall(model, ops[blocking].call),
      reason: `impossible when the state is ${describeState(model, search.space.states[state])}, and no op that may take effect before it returns can change that`,
    });
  }
  if (firstReturn >= 0) {
    const limit = ops[firstReturn].returnPos;
    for (let i = 0; i < ops.length; i++) {
      if (placed.has(i) || ops[i].callPos > limit || i === blocking && blocking !== firstReturn) continue;
      const after = search.space.next(state, i);
      stuck.push({
        op: ops[i].op,
        description: describeCall(model, ops[i].call),
        reason:
          after === ILLEGAL
            ? `impossible when the state is ${describeState(model, search.space.states[state])}`
            : 'possible here, but no op order after it works',
      });
    }
    // The blocking op first, then the refused ones, then the rest.
    const blockingOp = ops[blocking].op;
    stuck.sort((a, b) => rank(a) - rank(b));
    function rank(s: StuckOp): number {
      return s.op === blockingOp ? 0 : s.reason.startsWith('impossible') ? 1 : 2;
    }
  }
  return {
    longestPrefix: steps(model, search, best),
    statesAtFailure: snaps.map((s) => describeState(model, search.space.states[endState(s)])),
    stuck,
    blockingOp: blocking >= 0 ? ops[blocking].op : null,
    partialLinearizations: snaps.map((s) => ({ steps: steps(model, search, s) })),
  };
}
