// Model states interned as small integers, with every transition computed at
// most once: the search works on integers only and calls model.step once per
// distinct (state, op) pair, however often it revisits them.
//
// Transitions live in dense rows (one Int32Array per state, indexed by op)
// while states are few, as for registers; models whose states keep growing
// (append logs, sets) spill into one open-addressing table instead, so a new
// state costs no allocation. The table stops growing at SPILL_MAX_SLOTS and
// then forgets old transitions to make room (a transition is a pure function,
// so a forgotten one is only computed again): a million-op history visits
// millions of (state, op) pairs once each, and keeping them all would cost
// more memory than the search itself.
import { stateKey, type Call, type Model } from '../models/model.ts';

const UNKNOWN = -2;
/** Transition result for a call the model refuses. */
export const ILLEGAL = -1;
/** Dense rows stop once they would hold this many entries, or at this many states. */
const DENSE_LIMIT = 1 << 20;
const DENSE_STATES = 256;
/** Largest spill table (12 bytes a slot), and how far an entry may sit from its home slot. */
const SPILL_MAX_SLOTS = 1 << 22;
const PROBES = 8;

export class StateSpace<S = unknown> {
  readonly states: S[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly byHash = new Map<number, number | number[]>();
  private readonly rows: Int32Array[] = [];
  private readonly denseStates: number;
  private readonly n: number;
  // Spill table: slot -> (state, op, result); state -1 marks an empty slot.
  private spillKeys = new Int32Array(0);
  private spillOps = new Int32Array(0);
  private spillValues = new Int32Array(0);
  private spillCount = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly calls: readonly Call[],
  ) {
    this.n = Math.max(1, calls.length);
    this.denseStates = Math.max(1, Math.min(DENSE_STATES, Math.floor(DENSE_LIMIT / this.n)));
  }

  /** Id of a state, interning it on first sight. */
  intern(state: S): number {
    const { hash, equal } = this.model;
    let id: number | undefined;
    if (hash && equal) {
      // Buckets by hash: a number, or a list of ids once two states collide.
      const h = hash(state);
      const bucket = this.byHash.get(h);
      if (bucket === undefined) this.byHash.set(h, (id = this.add(state)));
      else if (typeof bucket === 'number') {
        if (equal(this.states[bucket], state)) return bucket;
        this.byHash.set(h, [bucket, (id = this.add(state))]);
      } else {
        for (const b of bucket) if (equal(this.states[b], state)) return b;
        bucket.push((id = this.add(state)));
      }
      return id;
    }
    const key = stateKey(this.model, state);
    id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.add(state)));
    return id;
  }

  private add(state: S): number {
    const id = this.states.length;
    this.states.push(state);
    if (id < this.denseStates) this.rows.push(new Int32Array(this.n).fill(UNKNOWN));
    return id;
  }

  /** The state id after op `op` in state `state`, or ILLEGAL. */
  next(state: number, op: number): number {
    if (state < this.denseStates) {
      const row = this.rows[state];
      const known = row[op];
      if (known !== UNKNOWN) return known;
      return (row[op] = this.compute(state, op));
    }
    return this.spilled(state, op);
  }

  private compute(state: number, op: number): number {
    const after = this.model.step(this.states[state], this.calls[op]);
    return after === undefined ? ILLEGAL : this.intern(after);
  }

  private spilled(state: number, op: number): number {
    if (this.spillCount * 2 >= this.spillKeys.length && this.spillKeys.length < SPILL_MAX_SLOTS) this.growSpill();
    const mask = this.spillKeys.length - 1;
    const home = spillHome(state, op, mask);
    // Every entry sits within PROBES slots of its home, so a lookup stops there.
    let free = -1;
    for (let i = 0; i < PROBES; i++) {
      const slot = (home + i) & mask;
      const k = this.spillKeys[slot];
      if (k === -1) {
        free = slot;
        break;
      }
      if (k === state && this.spillOps[slot] === op) return this.spillValues[slot];
    }
    const result = this.compute(state, op);
    // compute() may have interned a state but never touches the table, so `free` is still free.
    // No free slot near home: overwrite the home slot's transition (it can be computed again).
    if (free >= 0) this.spillCount++;
    const slot = free >= 0 ? free : home;
    this.spillKeys[slot] = state;
    this.spillOps[slot] = op;
    this.spillValues[slot] = result;
    return result;
  }

  private growSpill(): void {
    const oldKeys = this.spillKeys, oldOps = this.spillOps, oldValues = this.spillValues;
    const cap = Math.max(1 << 12, oldKeys.length * 2);
    this.spillKeys = new Int32Array(cap).fill(-1);
    this.spillOps = new Int32Array(cap);
    this.spillValues = new Int32Array(cap);
    const mask = cap - 1;
    let kept = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const state = oldKeys[i];
      if (state === -1) continue;
      const op = oldOps[i];
      const home = spillHome(state, op, mask);
      for (let p = 0; p < PROBES; p++) {
        const slot = (home + p) & mask;
        if (this.spillKeys[slot] !== -1) continue;
        this.spillKeys[slot] = state;
        this.spillOps[slot] = op;
        this.spillValues[slot] = oldValues[i];
        kept++;
        break;
      }
    }
    this.spillCount = kept;
  }

  /** Bytes held by the transition tables (for the memory budget). */
  bytes(): number {
    return this.rows.length * this.n * 4 + this.spillKeys.byteLength * 3;
  }
}

function spillHome(state: number, op: number, mask: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(op, 0x85ebca6b)) & mask;
}
