// Strongly connected components (iterative Tarjan, no recursion so a
// million-node graph cannot overflow the stack) over a *product* of the
// dependency graph with a small automaton. The automaton says which edge kinds
// may follow which: with one state it is a plain edge filter; with two states
// ("last edge was rw" or not) a cycle in the product is exactly a cycle whose
// rw edges are never adjacent, which is what snapshot isolation forbids.
import { float64Array, int32Array, uint8Array } from './buffers.ts';
import type { Graph } from './graph.ts';

/** Edge kinds are bits 0..4 (WW, WR, RW, PROCESS, REALTIME). */
export const KIND_BITS = 5;

export interface Automaton {
  states: number;
  /** next[state * KIND_BITS + bit]: the state after taking an edge of that kind, -1 when not allowed. */
  next: Int8Array;
}

/** One state, edges whose kind is in `mask` allowed. */
export function filterAutomaton(mask: number): Automaton {
  const next = new Int8Array(KIND_BITS).fill(-1);
  for (let b = 0; b < KIND_BITS; b++) if (mask & (1 << b)) next[b] = 0;
  return { states: 1, next };
}

/** Two states (0: last edge not rw, 1: last edge rw): rw never follows rw. */
export function nonadjacentRwAutomaton(otherMask: number, rwBit: number): Automaton {
  const next = new Int8Array(2 * KIND_BITS).fill(-1);
  const rw = Math.log2(rwBit);
  for (let b = 0; b < KIND_BITS; b++) {
    if (b === rw) {
      next[b] = 1; // from state 0 an rw edge is fine
    } else if (otherMask & (1 << b)) {
      next[b] = 0;
      next[KIND_BITS + b] = 0;
    }
  }
  return { states: 2, next };
}

/** A set of nodes to work inside: nodes[i] is the global id of local node i. */
export interface Region {
  nodes: Int32Array;
  /** localOf[global] = local index when regionOf[global] === id. */
  localOf: Int32Array;
  regionOf: Int32Array;
  id: number;
}

export function wholeGraph(g: Graph): Region {
  const nodes = int32Array(g.nodeCount);
  for (let i = 0; i < nodes.length; i++) nodes[i] = i;
  return { nodes, localOf: nodes, regionOf: int32Array(g.nodeCount), id: 0 };
}

export interface Components {
  /** Component number of each product state (local node * states + state); -1 for trivial ones. */
  compOf: Int32Array;
  /** Non-trivial components (two or more product states), as lists of product states. */
  components: Int32Array[];
}

export function stronglyConnected(g: Graph, region: Region, auto: Automaton): Components {
  const S = auto.states;
  const M = region.nodes.length * S;
  const { offsets, targets, kinds } = g;
  const { nodes, localOf, regionOf, id } = region;
  const next = auto.next;
  // One state (a plain edge filter): an edge is taken once if any of its kinds
  // is allowed, not once per kind. The same DFS, with a fifth of the steps:
  // a repeat of a just-explored edge could not lower any low-link.
  let single = 0;
  if (S === 1) for (let b = 0; b < KIND_BITS; b++) if (next[b] >= 0) single |= 1 << b;
  const order = int32Array(M).fill(-1);
  const low = int32Array(M);
  const onStack = uint8Array(M);
  const stack = int32Array(M);
  const callState = int32Array(M);
  const callCursor = float64Array(M); // edge position * KIND_BITS + kind bit
  const compOf = int32Array(M).fill(-1);
  const components: Int32Array[] = [];
  let counter = 0, sp = 0;

  for (let root = 0; root < M; root++) {
    if (order[root] !== -1) continue;
    let top = 0;
    callState[0] = root;
    callCursor[0] = offsets[nodes[(root / S) | 0]] * KIND_BITS;
    order[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (top >= 0) {
      const s = callState[top];
      const v = nodes[(s / S) | 0];
      const a = s % S;
      const end = offsets[v + 1] * KIND_BITS;
      let cursor = callCursor[top];
      let descended = false;
      while (cursor < end) {
        const e = (cursor / KIND_BITS) | 0;
        let na = 0;
        if (single) {
          cursor = (e + 1) * KIND_BITS;
          if (!(kinds[e] & single)) continue;
        } else {
          const b = cursor - e * KIND_BITS;
          cursor++;
          if (!(kinds[e] & (1 << b))) continue;
          na = next[a * KIND_BITS + b];
          if (na < 0) continue;
        }
        const w = targets[e];
        if (regionOf[w] !== id) continue;
        const t = localOf[w] * S + na;
        if (order[t] === -1) {
          callCursor[top] = cursor;
          order[t] = low[t] = counter++;
          stack[sp++] = t;
          onStack[t] = 1;
          top++;
          callState[top] = t;
          callCursor[top] = offsets[w] * KIND_BITS;
          descended = true;
          break;
        } else if (onStack[t] && order[t] < low[s]) {
          low[s] = order[t];
        }
      }
      if (descended) continue;
      if (low[s] === order[s]) {
        // s roots a component: pop it.
        let size = 0;
        while (stack[sp - 1 - size] !== s) size++;
        size++;
        const members = stack.slice(sp - size, sp);
        sp -= size;
        for (let i = 0; i < size; i++) onStack[members[i]] = 0;
        if (size > 1) {
          const c = components.length;
          for (let i = 0; i < size; i++) compOf[members[i]] = c;
          components.push(members);
        }
      }
      top--;
      if (top >= 0) {
        const parent = callState[top];
        if (low[s] < low[parent]) low[parent] = low[s];
      }
    }
  }
  return { compOf, components };
}

/** Regions for each non-trivial component of a one-state product (the usual SCCs). */
export function regionsOf(g: Graph, comps: Components): Region[] {
  const regionOf = int32Array(g.nodeCount).fill(-1);
  const localOf = int32Array(g.nodeCount).fill(-1);
  return comps.components.map((members, id) => {
    const nodes = Int32Array.from(members).sort();
    nodes.forEach((v, i) => {
      regionOf[v] = id;
      localOf[v] = i;
    });
    return { nodes, localOf, regionOf, id };
  });
}
