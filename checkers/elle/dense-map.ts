// A Map for keys that are usually small non-negative integers (history keys
// and appended values): those index a plain array, which is several times
// cheaper to fill and probe than a hash table and allocates far less than the
// tens of thousands of small Maps a long history needs. Any other key (a
// string, a float, a huge number) goes to an ordinary Map; lookups agree with
// Map's SameValueZero (-0 is 0). Iteration is not offered: callers keep their
// own insertion order.
const DENSE_LIMIT = 2 ** 30;

export class DenseMap<V> {
  private dense: Array<V | undefined> = [];
  private sparse: Map<unknown, V> | undefined;

  get(k: unknown): V | undefined {
    if (typeof k === 'number' && k >= 0 && k < DENSE_LIMIT && Number.isInteger(k)) return this.dense[k];
    return this.sparse?.get(k);
  }

  set(k: unknown, v: V): void {
    if (typeof k === 'number' && k >= 0 && k < DENSE_LIMIT && Number.isInteger(k)) this.dense[k] = v;
    else (this.sparse ??= new Map()).set(k, v);
  }
}
