// Process and real-time edges. A process runs one transaction at a time, so
// its transactions are ordered; and a transaction that completed before
// another was invoked precedes it in real time. Real-time edges are kept
// transitively reduced (Elle's trick): each invoke links only from the
// "frontier" of completed transactions that nothing completed after yet, so
// the graph stays O(n x concurrency) instead of O(n^2).
import { float64Array, int32Array } from './buffers.ts';
import type { EdgeBuilder } from './graph.ts';
import { PROCESS, REALTIME, type Txn } from './types.ts';

/** `txns` are the graph's nodes, sorted by invoke index. */
export function addProcessEdges(txns: readonly Txn[], edges: EdgeBuilder): void {
  const last = new Map<Txn['process'], Txn>();
  for (const t of txns) {
    const prev = last.get(t.process);
    // After an info completion the process's fate is unknown; no order from it.
    if (prev && prev.type === 'ok') edges.add(prev.id, t.id, PROCESS);
    last.set(t.process, t);
  }
}

export function addRealtimeEdges(txns: readonly Txn[], edges: EdgeBuilder): void {
  const codes = eventOrder(txns);
  // The frontier only ever gains completions at its end and loses a prefix (the
  // completions before some invoke), so it is a window [head, tail) of `done`,
  // the completion events in order (as positions in `codes`).
  const done = int32Array(codes.length);
  const invokedAt = int32Array(txns.length).fill(-1);
  let head = 0, tail = 0;
  for (let j = 0; j < codes.length; j++) {
    const code = codes[j];
    const id = code >> 1;
    if ((code & 1) === 0) {
      invokedAt[id] = j;
      for (let f = head; f < tail; f++) edges.add(codes[done[f]] >> 1, id, REALTIME);
    } else {
      // Everything that completed before this transaction's invoke is now
      // reachable through it (nothing, when its invoke has not come yet).
      const invoked = invokedAt[id];
      while (head < tail && done[head] < invoked) head++;
      done[tail++] = j;
    }
  }
}

/**
 * Invoke and completion events by history index (ties: by id, invoke first),
 * as codes id * 2 (+1 for a completion).
 */
function eventOrder(txns: readonly Txn[]): Int32Array {
  let count = 0, maxIndex = 0, integral = true;
  const see = (i: number) => {
    if (!Number.isInteger(i) || i < 0) integral = false;
    else if (i > maxIndex) maxIndex = i;
  };
  for (const t of txns) {
    see(t.invokeIndex);
    if (Number.isFinite(t.completeIndex)) {
      see(t.completeIndex);
      count += 2;
    } else count++;
  }
  const codes = int32Array(count);
  // Usual case, linear: distinct small integer indices, one bucket each.
  if (integral && maxIndex < 4 * count + 1024) {
    const slot = int32Array(maxIndex + 1);
    let clash = false;
    for (const t of txns) {
      if (slot[t.invokeIndex] !== 0) clash = true;
      slot[t.invokeIndex] = t.id * 2 + 1;
      if (Number.isFinite(t.completeIndex)) {
        if (slot[t.completeIndex] !== 0) clash = true;
        slot[t.completeIndex] = t.id * 2 + 2;
      }
    }
    if (!clash) {
      let j = 0;
      for (let i = 0; i <= maxIndex; i++) if (slot[i] !== 0) codes[j++] = slot[i] - 1;
      return codes;
    }
  }
  // One number per event, index * 2^22 + code, exact while ids stay below
  // 2^21; larger histories fall back to a comparator.
  if (txns.length < 1 << 21) {
    const keys = float64Array(count);
    let i = 0;
    for (const t of txns) {
      keys[i++] = t.invokeIndex * 4194304 + t.id * 2;
      if (Number.isFinite(t.completeIndex)) keys[i++] = t.completeIndex * 4194304 + t.id * 2 + 1;
    }
    keys.sort();
    for (let j = 0; j < count; j++) codes[j] = keys[j] % 4194304;
  } else {
    const events: Array<[number, number]> = [];
    for (const t of txns) {
      events.push([t.invokeIndex, t.id * 2]);
      if (Number.isFinite(t.completeIndex)) events.push([t.completeIndex, t.id * 2 + 1]);
    }
    events.sort((a, b) => a[0] - b[0] || (a[1] & 1) - (b[1] & 1));
    events.forEach(([, code], j) => (codes[j] = code));
  }
  return codes;
}
