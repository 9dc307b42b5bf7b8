// The Wing & Gong search with Lowe's memoisation (as in Porcupine), for one
// partition, written as a resumable loop so many partitions can share a thread
// in time slices and a budget can stop it at any step.
//
// The history is a doubly linked list of call and return entries in real-time
// order. The search repeatedly looks at the entries before the first return:
// those calls may take effect next. It "lifts" one the model accepts (removes
// its call and return from the list, sets its bit, pushes an undo frame) and
// starts over; when it meets a return entry first, the op owning that return
// can no longer be linearized in time, so it pops the last frame ("unlift")
// and tries the next candidate. No recursion: the undo stack is typed arrays.
//
// Three prunings on top of WGL, each sound (argued where it is applied):
//   1. memoisation of (linearized set, state): a configuration met twice failed the first time
//      (the set is keyed compactly, by its gaps, so memory follows concurrency, not history length);
//   2. read-only ops (model.readOnly: they change no state, ever) are placed greedily, before
//      any other candidate: if one fits now, placing it first loses nothing (moving it earlier
//      in any successful order keeps every state and every real-time constraint), so when that
//      branch fails there is no need to try its siblings;
//   3. interchangeable indeterminate ops (same f, same input, both pending) are placed in call order;
//   4. a read (a candidate, or one of the next few entries even if not yet called) that is
//      refused now and, says the model (model.reachable), cannot be satisfied by the ops that
//      may still run before it returns, kills the configuration at once.
import type { Call, Model } from '../models/model.ts';
import type { PreparedOp } from './prepare.ts';
import { ConfigCache } from './config-cache.ts';
import { ILLEGAL, StateSpace } from './state-space.ts';
import { carve } from './carve.ts';

export type SearchStatus = 'valid' | 'invalid' | 'running' | 'memory';

/** A partial linearization: op ids (partition-local) and the state id after each. */
export interface Snapshot {
  ops: Int32Array;
  states: Int32Array;
  /** The op that could not be placed after this prefix (partition-local id), or -1 if not known. */
  culprit: number;
}

const END = -1;
/** How many distinct dead-end states at the deepest level to keep for the explanation. */
const MAX_SNAPSHOTS = 8;
/** Cache keys are full bitsets up to this many words (256 ops); compact beyond (see encode). */
const COMPACT_FROM_WORDS = 8;
/** How many list entries past the first return pruning 4 inspects for reads. */
const LOOKAHEAD = 8;

export class WglSearch<S = unknown> {
  readonly n: number;
  readonly space: StateSpace<S>;
  readonly ops: readonly PreparedOp[];
  steps = 0;
  /** Most ops linearized at once so far (the search's progress). */
  maxDepth = 0;
  /** Depth of the deepest dead end met: the length of every snapshot. */
  deepest = 0;

  // The deepest dead ends, kept without copying the whole stack each time one is met
  // (that would cost O(depth) per new record, O(n²) on a long history): the first is
  // the stack at that point, patched in place from `lowWater` up; the others only
  // store where they part from it. `lowWater`: no frame below it was popped since.
  private hasDeadEnd = false;
  private readonly bestOps: Int32Array;
  private readonly bestStates: Int32Array;
  private bestCulprit = -1;
  private lowWater = 0;
  private others: { shared: number; ops: Int32Array; states: Int32Array; culprit: number }[] = [];
  private endStates: number[] = [];
  private materialized: Snapshot[] | undefined;

  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly finite: Uint8Array;
  private readonly classPred: Int32Array;
  /** Group of alternatives each op belongs to (-1: none), and how many of each group are placed. */
  private readonly groupOf: Int32Array;
  private readonly groupPlaced: Int32Array;
  /** Ops that never change any state (model.readOnly): candidates for greedy placement. */
  private readonly readOnly: Uint8Array;
  private readonly zobrist: Int32Array;
  private readonly bits: Uint32Array;
  private bitsHash = 0;
  /** Rank of each op's call entry in the list's real-time order. */
  private readonly callRank: Int32Array;
  /** Highest call rank among the linearized ops (-1: none). */
  private maxRank = -1;
  /** Scratch for the compact form of a linearized set (see encode). */
  private readonly key: Uint32Array;
  private readonly cache: ConfigCache;
  private readonly stackOp: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stackGreedy: Uint8Array;
  private readonly stackMaxRank: Int32Array;
  private depth = 0;
  private state: number;
  private entry: number;
  private remaining: number;
  private status: SearchStatus = 'running';
  /** First pass over a configuration's candidates: read-only ops only. */
  private readsPass: boolean;
  private readonly hasReads: boolean;

  private readonly pendingCalls: Call[] = [];

  constructor(
    private readonly model: Model<S>,
    ops: readonly PreparedOp[],
    readonly maxBytes = Infinity,
    /** Pruning 4 on (the verdict search) or off (a search for the longest prefix, to explain a failure). */
    private readonly prune = true,
    /** Compact cache keys (see encode); false keys every configuration by its full bitset, for cross-checks. */
    private readonly compactKeys = true,
  ) {
    const n = ops.length;
    this.n = n;
    this.ops = ops;
    this.space = new StateSpace(model, ops.map((o) => o.call));
    this.state = this.space.intern(model.init());

    // Entries: call of op i is i, return of op i is n + i; head sentinel 2n.
    this.head = 2 * n;
    const words = Math.max(1, Math.ceil(n / 32));
    const arrays = carve({
      next: ['i32', 2 * n + 1],
      prev: ['i32', 2 * n + 1],
      finite: ['u8', n],
      callRank: ['i32', n],
      readOnly: ['u8', n],
      classPred: ['i32', n],
      groupOf: ['i32', n],
      zobrist: ['i32', n],
      bits: ['u32', words],
      key: ['u32', words],
      stackOp: ['i32', n],
      stackState: ['i32', n],
      stackGreedy: ['u8', n],
      stackMaxRank: ['i32', n],
      bestOps: ['i32', n],
      bestStates: ['i32', n],
    });
    this.next = arrays.next.fill(END);
    this.prev = arrays.prev.fill(END);
    this.finite = arrays.finite;
    let finiteCount = 0;
    for (let i = 0; i < n; i++) {
      if (ops[i].returnPos !== Infinity) {
        this.finite[i] = 1;
        finiteCount++;
      }
    }
    this.callRank = arrays.callRank;
    let last = this.head;
    let rank = 0;
    for (const entry of entriesInTimeOrder(ops, this.finite, finiteCount)) {
      this.next[last] = entry;
      this.prev[entry] = last;
      last = entry;
      if (entry < n) this.callRank[entry] = rank++;
    }
    this.remaining = finiteCount;

    this.readOnly = arrays.readOnly;
    if (model.readOnly) for (let i = 0; i < n; i++) this.readOnly[i] = model.readOnly(ops[i].call) ? 1 : 0;

    // Interchangeable indeterminate ops: link each to the previous one with the same call.
    this.classPred = arrays.classPred.fill(-1);
    const lastOfClass = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      // Grouped alternatives are not interchangeable (their groups differ): no class.
      if (this.finite[i] || ops[i].group >= 0) continue;
      const k = `${ops[i].call.f}\u0000${JSON.stringify(ops[i].call.input) ?? ''}`;
      const p = lastOfClass.get(k);
      if (p !== undefined) this.classPred[i] = p;
      lastOfClass.set(k, i);
    }

    this.groupOf = arrays.groupOf;
    let groups = 0;
    for (let i = 0; i < n; i++) {
      this.groupOf[i] = ops[i].group;
      if (ops[i].group >= groups) groups = ops[i].group + 1;
    }
    this.groupPlaced = new Int32Array(groups);

    // Zobrist hashing: the bitset's hash is the XOR of one random word per set bit,
    // updated in O(1) when a bit flips. Fixed seed: runs are reproducible.
    this.zobrist = arrays.zobrist;
    let x = 0x2545f491;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.zobrist[i] = x;
    }
    this.bits = arrays.bits;
    this.key = arrays.key;
    this.cache = new ConfigCache(words);
    this.stackOp = arrays.stackOp;
    this.stackState = arrays.stackState;
    this.stackGreedy = arrays.stackGreedy;
    this.stackMaxRank = arrays.stackMaxRank;
    this.bestOps = arrays.bestOps;
    this.bestStates = arrays.bestStates;
    this.entry = this.next[this.head];
    this.hasReads = this.readOnly.includes(1);
    this.readsPass = this.hasReads;
    if (this.remaining === 0) this.status = 'valid';
  }

  /** Distinct configurations remembered so far. */
  get configurations(): number {
    return this.cache.count;
  }

  bytes(): number {
    return this.cache.bytes() + this.space.bytes();
  }

  /** Run at most `budget` steps; 'running' means call again to continue. */
  run(budget: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { n, next, prev, finite, classPred, groupOf, groupPlaced, readOnly, zobrist, bits, key, callRank, cache, space, stackOp, stackState, stackGreedy, stackMaxRank } = this;
    const words = bits.length;
    // Small bitsets cost less to copy and compare than to walk for gaps (see encode).
    const compact = this.compactKeys && words > COMPACT_FROM_WORDS;
    let maxDepth = this.maxDepth;
    let lowWater = this.lowWater;
    const head = this.head;
    let entry = this.entry;
    let state = this.state;
    let depth = this.depth;
    let maxRank = this.maxRank;
    let remaining = this.remaining;
    let bitsHash = this.bitsHash;
    let steps = 0;
    let readsPass = this.readsPass;
    const hasReads = this.hasReads;
    const reachable = this.prune ? this.model.reachable : undefined;
    let culprit = -1;
    let status: SearchStatus = 'running';

    while (steps < budget) {
      steps++;
      if (entry >= n) {
        // A return entry. After the reads pass, try the ops that change the state; after
        // that, the op owning this return can no longer be placed in time: backtrack.
        if (readsPass) {
          readsPass = false;
          // Pruning 4 also holds for reads not yet called: look a little further ahead.
          culprit = reachable === undefined ? -1 : this.deadReadAhead(entry, state);
          if (culprit < 0) {
            entry = next[head];
            continue;
          }
        } else culprit = entry - n;
      } else {
        // A call entry: try to linearize op `entry` now.
        const op = entry;
        if (readsPass ? readOnly[op] === 0 : readOnly[op] === 1) {
          // Reads are tried in their own pass, first (pruning 2); in the second pass they
          // are known to be impossible in this configuration.
          entry = next[entry];
          continue;
        }
        const pred = classPred[op];
        if (pred >= 0 && (bits[pred >>> 5] & (1 << (pred & 31))) === 0) {
          // Pruning 3: an identical indeterminate op with an earlier call is still pending;
          // placing this one first would only explore a mirror image.
          entry = next[entry];
          continue;
        }
        const group = groupOf[op];
        if (group >= 0 && groupPlaced[group] > 0) {
          // Another alternative of the same indeterminate op already took effect.
          entry = next[entry];
          continue;
        }
        const after = space.next(state, op);
        if (after === ILLEGAL) {
          // Pruning 4: a read that does not fit now must fit later, after ops called before
          // it returned; when the model says none of them can get there, this configuration is dead.
          if (!readsPass || reachable === undefined || this.readCanBecomeLegal(op, state)) {
            entry = next[entry];
            continue;
          }
          culprit = op;
        } else {
          bits[op >>> 5] ^= 1 << (op & 31);
          bitsHash ^= zobrist[op];
          const top = compact && callRank[op] > maxRank ? callRank[op] : maxRank;
          const length = compact ? this.encode(op, top) : words;
          if (cache.add(length === words ? bits : key, length, bitsHash, after)) {
            stackOp[depth] = op;
            stackState[depth] = state;
            stackGreedy[depth] = readOnly[op];
            stackMaxRank[depth] = maxRank;
            maxRank = top;
            depth++;
            if (depth > maxDepth) maxDepth = depth;
            state = after;
            if (group >= 0) groupPlaced[group]++;
            // Lift: unlink the call entry and, if it has one, its return entry.
            next[prev[op]] = next[op];
            if (next[op] !== END) prev[next[op]] = prev[op];
            if (finite[op]) {
              const r = n + op;
              next[prev[r]] = next[r];
              if (next[r] !== END) prev[next[r]] = prev[r];
              if (--remaining === 0) {
                status = 'valid';
                break;
              }
            }
            entry = next[head];
            readsPass = hasReads;
            // Stop before the cache's next doubling would pass the budget, not after.
            if ((cache.count & 0xfff) === 0 && cache.bytesAfterGrowth() + space.bytes() > this.maxBytes) {
              status = 'memory';
              break;
            }
            continue;
          }
          // Seen before, so it failed. Pruning 2: if `op` never changes any state, any
          // success from here could have placed it first, so this configuration fails too.
          bits[op >>> 5] ^= 1 << (op & 31);
          bitsHash ^= zobrist[op];
          if (readOnly[op] === 0) {
            entry = next[entry];
            continue;
          }
          culprit = -1;
        }
      }

      {
        // Backtrack: this configuration leads nowhere.
        if (depth >= this.deepest) lowWater = this.recordDeadEnd(depth, state, culprit, lowWater);
        let op = -1;
        for (;;) {
          if (depth === 0) {
            status = 'invalid';
            break;
          }
          depth--;
          if (depth < lowWater) lowWater = depth;
          op = stackOp[depth];
          state = stackState[depth];
          maxRank = stackMaxRank[depth];
          // Unlift, in the reverse order of lift: return entry first, then the call.
          if (finite[op]) {
            const r = n + op;
            next[prev[r]] = r;
            if (next[r] !== END) prev[next[r]] = r;
            remaining++;
          }
          next[prev[op]] = op;
          if (next[op] !== END) prev[next[op]] = op;
          bits[op >>> 5] ^= 1 << (op & 31);
          bitsHash ^= zobrist[op];
          if (groupOf[op] >= 0) groupPlaced[groupOf[op]]--;
          // Pruning 2: a greedily placed op's siblings need no try.
          if (!stackGreedy[depth]) break;
        }
        if (status !== 'running') break;
        entry = next[op];
        readsPass = false;
      }
    }

    this.entry = entry;
    this.readsPass = readsPass;
    this.state = state;
    this.depth = depth;
    this.maxRank = maxRank;
    this.maxDepth = maxDepth;
    this.lowWater = lowWater;
    this.remaining = remaining;
    this.bitsHash = bitsHash;
    this.steps += steps;
    this.status = status;
    return status;
  }

  /**
   * The linearized set after adding `op` (its bit already set), in a compact
   * canonical form for the cache, written to `this.key`; returns its length.
   * Sparse form: [top, the unlinearized ops whose call ranks below top, in list
   * order], where top is the highest call rank linearized. That lists every
   * gap, so it names the set exactly, and it is short: no return entry precedes
   * the top op's call in the list (it was a candidate when lifted), so the gaps
   * are the call entries at the head of the list, i.e. ops concurrent with it
   * (at most the concurrency) plus pending indeterminate ops. When that would
   * not be shorter than the bitset, or the bitset is small anyway, the bitset
   * itself is the key (length `words`): the form depends on the set alone, so
   * equal sets encode alike.
   */
  private encode(op: number, top: number): number {
    // run() calls this only for histories above COMPACT_FROM_WORDS words.
    const { n, next, callRank, key } = this;
    const words = this.bits.length;
    key[0] = top;
    let length = 1;
    for (let e = next[this.head]; e !== END && e < n && callRank[e] <= top; e = next[e]) {
      if (e === op) continue;
      if (length + 1 >= words) return words;
      key[length++] = e;
    }
    return length;
  }

  /**
   * Ask the model whether read op `r`, refused in `state`, can become legal: only the
   * unplaced ops called before r returned can be placed before it. The list of those is
   * built only if the model asks for it.
   */
  private readCanBecomeLegal(r: number, state: number): boolean {
    const call = this.ops[r].call;
    if (call.indeterminate) return true;
    this.pendingFor = r;
    return this.model.reachable!(this.space.states[state], call, this.pending);
  }

  /** A read among the next LOOKAHEAD entries after `from` that cannot be satisfied from `state`, or -1. */
  private deadReadAhead(from: number, state: number): number {
    const { n, next, readOnly, ops, space } = this;
    let e = next[from];
    for (let k = 0; k < LOOKAHEAD && e !== END; k++, e = next[e]) {
      if (e >= n || readOnly[e] === 0 || ops[e].call.indeterminate) continue;
      if (space.next(state, e) === ILLEGAL && !this.readCanBecomeLegal(e, state)) return e;
    }
    return -1;
  }

  /** The read whose pending ops `pending` lists (see readCanBecomeLegal). */
  private pendingFor = -1;
  /** Unplaced state-changing ops called before op `pendingFor` returned. One function, made once. */
  private readonly pending = (): readonly Call[] => {
    const calls = this.pendingCalls;
    const r = this.pendingFor;
    const returnEntry = this.n + r;
    calls.length = 0;
    for (let e = this.next[this.head]; e !== returnEntry && e !== END; e = this.next[e]) {
      if (e < this.n && e !== r && this.readOnly[e] === 0) calls.push(this.ops[e].call);
    }
    return calls;
  };

  /**
   * Keep the deepest dead ends (distinct end states) for the counterexample. Called
   * with depth >= deepest; `lowWater` as run() tracks it, returned updated. Copies
   * only the frames pushed since the deepest one was recorded, so the total work is
   * bounded by the search's own pushes.
   */
  private recordDeadEnd(depth: number, state: number, culprit: number, lowWater: number): number {
    const { stackOp, stackState } = this;
    // The state after op k is the state before op k + 1; after the last op, `state`.
    this.materialized = undefined;
    if (!this.hasDeadEnd || depth > this.deepest) {
      const { bestOps, bestStates } = this;
      for (let k = this.hasDeadEnd ? lowWater : 0; k < depth; k++) {
        bestOps[k] = stackOp[k];
        bestStates[k] = k + 1 < depth ? stackState[k + 1] : state;
      }
      this.hasDeadEnd = true;
      this.deepest = depth;
      this.bestCulprit = culprit;
      this.others = [];
      this.endStates = [state];
      return depth;
    }
    if (this.endStates.length >= MAX_SNAPSHOTS || this.endStates.includes(state)) return lowWater;
    // Frames below lowWater are the deepest one's, and so are the states after them.
    const states = new Int32Array(depth - lowWater);
    for (let k = lowWater; k < depth; k++) states[k - lowWater] = k + 1 < depth ? stackState[k + 1] : state;
    this.others.push({ shared: lowWater, ops: stackOp.slice(lowWater, depth), states, culprit });
    this.endStates.push(state);
    return lowWater;
  }

  /** Longest partial linearizations found (all of length `deepest`, distinct end states). */
  get snapshots(): Snapshot[] {
    if (!this.hasDeadEnd) return [];
    if (this.materialized) return this.materialized;
    const d = this.deepest;
    const first: Snapshot = { ops: this.bestOps.slice(0, d), states: this.bestStates.slice(0, d), culprit: this.bestCulprit };
    const rest = this.others.map((o): Snapshot => {
      const ops = new Int32Array(d);
      const states = new Int32Array(d);
      ops.set(first.ops.subarray(0, o.shared));
      states.set(first.states.subarray(0, o.shared));
      ops.set(o.ops, o.shared);
      states.set(o.states, o.shared);
      return { ops, states, culprit: o.culprit };
    });
    return (this.materialized = [first, ...rest]);
  }
}

/**
 * Entry ids (call of op i: i; return: n + i, finite returns only) in the order
 * of their history positions, ties (alternatives of one lost op share a call)
 * by id. Positions are history indexes, so (position, id) packs into one
 * float whose plain numeric sort is the order: no comparator, no objects.
 */
function entriesInTimeOrder(ops: readonly PreparedOp[], finite: Uint8Array, finiteCount: number): Int32Array {
  const n = ops.length;
  const count = n + finiteCount;
  const shift = 2 ** Math.ceil(Math.log2(2 * n + 2));
  let packable = true;
  for (let i = 0; i < n && packable; i++) {
    const { callPos, returnPos } = ops[i];
    packable = Number.isSafeInteger(callPos * shift) && callPos >= 0 && (!finite[i] || (Number.isSafeInteger(returnPos * shift + 2 * n) && returnPos >= 0));
  }
  const out = new Int32Array(count);
  if (packable) {
    const keys = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) {
      keys[k++] = ops[i].callPos * shift + i;
      if (finite[i]) keys[k++] = ops[i].returnPos * shift + n + i;
    }
    keys.sort();
    // shift is a power of two: the division is exact, and cheaper than a float modulo.
    for (let j = 0; j < count; j++) out[j] = keys[j] - Math.floor(keys[j] / shift) * shift;
    return out;
  }
  const order: { entry: number; pos: number }[] = [];
  for (let i = 0; i < n; i++) {
    order.push({ entry: i, pos: ops[i].callPos });
    if (finite[i]) order.push({ entry: n + i, pos: ops[i].returnPos });
  }
  order.sort((a, b) => a.pos - b.pos || a.entry - b.entry);
  order.forEach((o, j) => (out[j] = o.entry));
  return out;
}

/** The state id a snapshot ends in (0, the initial state, when empty). */
export function endState(s: Snapshot): number {
  return s.states.length ? s.states[s.states.length - 1] : 0;
}
