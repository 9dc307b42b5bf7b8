// Lowe's memoisation: the set of (linearized ops, model state) configurations
// already explored. Every configuration in here that is not on the current
// search path has failed, so meeting it again needs no second look.
//
// The linearized set arrives already encoded by the search as a short word
// sequence (see WglSearch.encode: a few words for a long history with little
// concurrency, at most the full bitset), so an entry costs what the
// configuration really holds, not one bit per op of the history: a 130k-op
// history would otherwise pay 16 KB per entry.
//
// Open addressing over flat arrays: each entry is a slice of one word arena
// plus four ints side by side (where its key is, its length, state id, hash);
// no per-entry objects, so millions of entries are cheap for the garbage
// collector, and a probe touches one cache line.
import { carve } from './carve.ts';

/** Ints per entry in `meta`: offset of the key in the arena, its length, the state id, the hash. */
const META = 4;
const INITIAL_ENTRIES = 64;

export class ConfigCache {
  private table: Int32Array;
  private mask: number;
  /** Keys of every entry, back to back. */
  private arena: Uint32Array;
  private used = 0;
  private meta: Int32Array;
  count = 0;

  constructor(wordsHint: number) {
    // Small to start with, in one allocation: a history with thousands of keys makes thousands of caches.
    const slots = 2 * INITIAL_ENTRIES;
    const initial = carve({ table: ['i32', slots], arena: ['u32', INITIAL_ENTRIES * Math.max(1, Math.min(wordsHint, 16))], meta: ['i32', INITIAL_ENTRIES * META] });
    this.table = initial.table;
    this.mask = slots - 1;
    this.arena = initial.arena;
    this.meta = initial.meta;
  }

  /** Bytes currently allocated. */
  bytes(): number {
    return this.table.byteLength + this.arena.byteLength + this.meta.byteLength;
  }

  /** Bytes once the arrays have doubled again: an upper bound on what the next growth would need. */
  bytesAfterGrowth(): number {
    return 2 * this.bytes();
  }

  /**
   * Add (key[0..length), state) unless present. `keyHash` is the caller's hash
   * of the linearized set (equal sets, equal hashes). Returns true when it was new.
   */
  add(key: Uint32Array, length: number, keyHash: number, state: number): boolean {
    const h = mix(keyHash ^ Math.imul(state + 1, 0x9e3779b1));
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    const meta = this.meta;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const m = (e - 1) * META;
      if (meta[m + 3] === h && meta[m + 2] === state && meta[m + 1] === length) {
        const base = meta[m];
        const arena = this.arena;
        let same = true;
        for (let w = 0; w < length; w++) {
          if (arena[base + w] !== key[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
    const idx = this.count++;
    if ((idx + 1) * META > this.meta.length) this.growEntries();
    if (this.used + length > this.arena.length) this.growArena(this.used + length);
    // A plain loop: subarray() would allocate a view per entry.
    const arena = this.arena;
    const base = this.used;
    for (let w = 0; w < length; w++) arena[base + w] = key[w];
    this.used += length;
    const m = idx * META;
    this.meta[m] = base;
    this.meta[m + 1] = length;
    this.meta[m + 2] = state;
    this.meta[m + 3] = h;
    table[slot] = idx + 1;
    if (this.count * 2 > table.length) this.rehash();
    return true;
  }

  private growArena(atLeast: number): void {
    let cap = this.arena.length * 2;
    while (cap < atLeast) cap *= 2;
    const arena = new Uint32Array(cap);
    arena.set(this.arena.subarray(0, this.used));
    this.arena = arena;
  }

  private growEntries(): void {
    const meta = new Int32Array(this.meta.length * 2);
    meta.set(this.meta);
    this.meta = meta;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let slot = this.meta[idx * META + 3] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = idx + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Murmur3's 32-bit finaliser: spreads every input bit over the hash. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
