// Process and real-time edges. A process runs one transaction at a time, so
// its transactions are ordered; and a transaction that completed before
// another was invoked precedes it in real time. Real-time edges are kept
// transitively reduced (Elle's trick): each invoke links only from the
// "frontier" of completed transactions that nothing completed after yet, so
// the graph stays O(n x concurrency) instead of O(n^2).
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
  // Sort events by history index. Fast path: one number per event,
  // index * 2^22 + code with code = id * 2 (+1 for a completion), exact while
  // ids stay below 2^21; larger histories fall back to a comparator.
  let count = 0;
  for (const t of txns) count += Number.isFinite(t.completeIndex) ? 2 : 1;
  const codes = new Int32Array(count);
  if (txns.length < 1 << 21) {
    const keys = new Float64Array(count);
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
  const frontier = new Set<number>();
  // Each transaction's real-time predecessors (the frontier at its invoke),
  // kept in one flat pool until it completes.
  const predStart = new Int32Array(txns.length);
  const predCount = new Int32Array(txns.length);
  let pool = new Int32Array(1024);
  let poolSize = 0;
  for (const code of codes) {
    const id = code >> 1;
    if ((code & 1) === 0) {
      if (poolSize + frontier.size > pool.length) {
        const bigger = new Int32Array(Math.max(pool.length * 2, poolSize + frontier.size));
        bigger.set(pool);
        pool = bigger;
      }
      predStart[id] = poolSize;
      predCount[id] = frontier.size;
      for (const p of frontier) {
        edges.add(p, id, REALTIME);
        pool[poolSize++] = p;
      }
    } else {
      // Everything before this transaction is now reachable through it.
      for (let i = predStart[id]; i < predStart[id] + predCount[id]; i++) frontier.delete(pool[i]);
      frontier.add(id);
    }
  }
}
