// Delta debugging (Zeller's ddmin): the smallest sublist of `items` for which
// `fails` still holds, found by trying to drop chunks, halving the chunk
// size when no chunk can go. Here `fails` is a real run (seconds each), so
// it is bounded by a number of tries; a run that does not reproduce by
// chance only keeps more than needed, never less.
export interface DdminResult<T> {
  items: T[];
  tries: number;
  /** false: the budget ran out before the list was 1-minimal. */
  minimal: boolean;
}

export async function ddmin<T>(items: readonly T[], fails: (subset: T[]) => Promise<boolean>, maxTries = Infinity): Promise<DdminResult<T>> {
  let current = [...items];
  let chunks = 2;
  let tries = 0;
  while (current.length >= 2 || (current.length === 1 && chunks <= 2)) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    // Try each complement (drop one chunk); a one-element list tries the empty list.
    for (let start = 0; start < current.length; start += size) {
      if (tries >= maxTries) return { items: current, tries, minimal: false };
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      tries++;
      if (await fails(complement)) {
        current = complement;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (size === 1) break;
    chunks = Math.min(chunks * 2, current.length);
  }
  return { items: current, tries, minimal: true };
}
