// Lowe's memoisation: the set of (linearized ops, model state) configurations
// already explored. Every configuration in here that is not on the current
// search path has failed, so meeting it again needs no second look.
//
// Open addressing over a flat arena: each entry is W words of bitset plus a
// state id and its hash; no per-entry objects, so millions of entries are
// cheap for the garbage collector.

export class ConfigCache {
  private table: Int32Array;
  private mask: number;
  private arena: Uint32Array;
  private states: Int32Array;
  private hashes: Int32Array;
  count = 0;

  constructor(private readonly words: number) {
    // Small to start with: a history with thousands of keys makes thousands of caches.
    const cap = 1 << 8;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    this.arena = new Uint32Array(64 * Math.max(1, words));
    this.states = new Int32Array(64);
    this.hashes = new Int32Array(64);
  }

  /** Bytes currently allocated. */
  bytes(): number {
    return this.table.byteLength + this.arena.byteLength + this.states.byteLength + this.hashes.byteLength;
  }

  /** Bytes once the arrays have doubled again: what the next growth would need. */
  bytesAfterGrowth(): number {
    return 2 * this.bytes();
  }

  /**
   * Add (bits, state) unless present. `bitsHash` is the caller's hash of the
   * bitset. Returns true when it was new.
   */
  add(bits: Uint32Array, bitsHash: number, state: number): boolean {
    const h = mix(bitsHash ^ Math.imul(state + 1, 0x9e3779b1));
    const W = this.words;
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const idx = e - 1;
      if (this.hashes[idx] === h && this.states[idx] === state) {
        const base = idx * W;
        const arena = this.arena;
        let same = true;
        for (let w = 0; w < W; w++) {
          if (arena[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
    const idx = this.count++;
    if (idx >= this.states.length) this.growEntries();
    this.arena.set(bits, idx * W);
    this.states[idx] = state;
    this.hashes[idx] = h;
    table[slot] = idx + 1;
    if (this.count * 2 > table.length) this.rehash();
    return true;
  }

  private growEntries(): void {
    const cap = this.states.length * 2;
    const arena = new Uint32Array(cap * Math.max(1, this.words));
    arena.set(this.arena);
    this.arena = arena;
    const states = new Int32Array(cap);
    states.set(this.states);
    this.states = states;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let slot = this.hashes[idx] & mask;
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
