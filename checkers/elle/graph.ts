// The dependency graph over transactions, in compressed sparse row form:
// edges out of node v are targets[offsets[v] .. offsets[v+1]), and each edge
// carries a bit set of kinds (WW | WR | RW | PROCESS | REALTIME). Typed arrays
// keep a million-transaction graph in a few hundred megabytes.
import { int32Array, int32Slice, uint8Array } from './buffers.ts';

export interface Graph {
  nodeCount: number;
  offsets: Int32Array;
  targets: Int32Array;
  kinds: Uint8Array;
}

/** Collects edges (duplicates allowed, merged by build()). Self-edges are dropped. */
export class EdgeBuilder {
  private src: Int32Array;
  private dst: Int32Array;
  private kind: Uint8Array;
  private n = 0;

  /** A good capacity guess saves regrowing (and the big-heap GCs each regrowth can trigger). */
  constructor(capacity = 1024) {
    this.src = int32Array(capacity);
    this.dst = int32Array(capacity);
    this.kind = uint8Array(capacity);
  }

  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    if (this.n === this.src.length) this.grow();
    this.src[this.n] = from;
    this.dst[this.n] = to;
    this.kind[this.n] = kind;
    this.n++;
  }

  get size(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.src.length * 2;
    const s = int32Array(cap), d = int32Array(cap), k = uint8Array(cap);
    s.set(this.src); d.set(this.dst); k.set(this.kind);
    this.src = s; this.dst = d; this.kind = k;
  }

  /** Bucket edges by source (counting sort), then merge parallel edges by OR-ing their kinds. */
  build(nodeCount: number): Graph {
    const { src, dst, kind, n } = this;
    const start = int32Array(nodeCount + 1);
    for (let i = 0; i < n; i++) start[src[i] + 1]++;
    for (let v = 0; v < nodeCount; v++) start[v + 1] += start[v];
    const fill = int32Slice(start, 0, nodeCount);
    const t = int32Array(n), k = uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = fill[src[i]]++;
      t[p] = dst[i];
      k[p] = kind[i];
    }
    // Merge duplicates: slotOf[w] remembers where w's edge from the current v was written.
    const slotOf = int32Array(nodeCount).fill(-1);
    const offsets = int32Array(nodeCount + 1);
    let out = 0;
    for (let v = 0; v < nodeCount; v++) {
      offsets[v] = out;
      for (let p = start[v]; p < start[v + 1]; p++) {
        const w = t[p];
        const slot = slotOf[w];
        if (slot >= offsets[v]) k[slot] |= k[p];
        else {
          slotOf[w] = out;
          t[out] = w;
          k[out] = k[p];
          out++;
        }
      }
    }
    offsets[nodeCount] = out;
    return { nodeCount, offsets, targets: t.subarray(0, out), kinds: k.subarray(0, out) };
  }
}

/** The kinds on edge from -> to, or 0 when there is none. */
export function edgeKinds(g: Graph, from: number, to: number): number {
  for (let e = g.offsets[from]; e < g.offsets[from + 1]; e++) if (g.targets[e] === to) return g.kinds[e];
  return 0;
}
