// Delta debugging (Zeller's ddmin, in its "apply a chunk" form): of a list
// of candidate changes, choose as many as possible such that the changes
// chosen, applied together, still pass `keeps`. It tries all of them at once,
// then halves, quarters, ... down to one at a time, keeping every chunk that
// passes. When few candidates matter (a story needs one stale read among a
// thousand) it costs about 2 log n tests, and at most about 2n in all.
//
// One pass at one-at-a-time suffices for a 1-minimal result (no candidate
// left out could be added) when choosing more can only make `keeps` harder
// to pass, as with the shrinker's reductions (each makes the history more
// linearizable): a candidate refused next to fewer choices is refused next to
// more. That holds as far as `keeps` answered; a budget that gives up simply
// leaves more out.

/**
 * The candidates chosen. `keeps(chosen)` is asked with every choice tried,
 * in candidate order; `stop()` ends the search early (budget spent).
 */
export function chooseGreedily<T>(candidates: readonly T[], keeps: (chosen: readonly T[]) => boolean, stop: () => boolean): T[] {
  const chosen: T[] = [];
  let left = [...candidates];
  let chunk = left.length;
  while (chunk >= 1 && left.length > 0 && !stop()) {
    const rest: T[] = [];
    for (let i = 0; i < left.length; i += chunk) {
      const part = left.slice(i, i + chunk);
      if (!stop() && keeps([...chosen, ...part])) chosen.push(...part);
      else rest.push(...part);
    }
    left = rest;
    if (chunk === 1) break;
    chunk = Math.ceil(chunk / 2);
  }
  return chosen;
}
