// Process numbering, exactly as Jepsen does it: worker w starts as process w
// and is bound to node w mod |nodes|; after an indeterminate (info) op the
// worker continues as process old + concurrency, so process mod concurrency
// still names the worker. Numbers are never reused.

export function nodeFor(worker: number, nodes: readonly string[]): string {
  return nodes[worker % nodes.length];
}

export class ProcessTable {
  private readonly used = new Set<number>();
  private max = -1;

  constructor(readonly concurrency: number) {}

  /** The first process of worker w (w itself, unless taken). */
  initial(worker: number): number {
    return this.claim(worker, this.concurrency);
  }

  /** The process a worker continues under after an info. */
  next(process: number): number {
    return this.claim(process + this.concurrency, this.concurrency);
  }

  /** A process above every number used so far (extra final-phase workers). */
  fresh(): number {
    return this.claim(this.max + 1, 1);
  }

  private claim(candidate: number, stride: number): number {
    let p = candidate;
    while (this.used.has(p)) p += stride;
    this.used.add(p);
    if (p > this.max) this.max = p;
    return p;
  }
}
