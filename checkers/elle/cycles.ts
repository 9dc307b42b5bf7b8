// Finding and naming cycles in the dependency graph.
//
// Names follow Adya and Elle: a cycle of ww edges only is G0; of ww/wr edges
// G1c; with exactly one rw edge G-single; with several rw edges none of them
// adjacent G-nonadjacent; otherwise (two rw edges in a row) G2-item. A cycle
// that needs a process edge gets the suffix -process, one that needs a
// real-time edge -realtime.
//
// Two kinds of search:
//  - witnessCycle: linear time. In a product of the graph with a small
//    automaton, any non-trivial SCC holds a cycle that automaton accepts, and a
//    BFS inside the SCC returns a short one. This decides each consistency model
//    exactly, whatever the time budget.
//  - searchClass: for one anomaly class, start from each edge of the kind the
//    class needs and BFS back to its source through a 24-state automaton that
//    counts rw edges. The shortest cycle through that start edge; worst case
//    quadratic, so it runs under a deadline and says when it ran out.
import type { Graph } from './graph.ts';
import { KIND_BITS, stronglyConnected, filterAutomaton, type Automaton, type Region } from './scc.ts';
import { WW, WR, RW, PROCESS, REALTIME } from './types.ts';

export interface FoundCycle {
  type: string;
  /** nodes[i] -> nodes[i+1] by kinds[i]; the last edge returns to nodes[0]. */
  nodes: number[];
  kinds: number[];
}

/** Name a cycle by the edge kinds it uses. */
export function classify(kinds: readonly number[]): string {
  let rw = 0, wr = 0, adjacent = false, rt = false, proc = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === RW) {
      rw++;
      if (kinds[(i + kinds.length - 1) % kinds.length] === RW && kinds.length > 1) adjacent = true;
    } else if (k === WR) wr++;
    else if (k === REALTIME) rt = true;
    else if (k === PROCESS) proc = true;
  }
  const base = rw === 0 ? (wr === 0 ? 'G0' : 'G1c') : rw === 1 ? 'G-single' : adjacent ? 'G2-item' : 'G-nonadjacent';
  return base + (rt ? '-realtime' : proc ? '-process' : '');
}

const bitIndex = (kind: number) => 31 - Math.clz32(kind);

/** Cheapest kind first, so explanations prefer data dependencies over time. */
const KIND_PREFERENCE = [WW, WR, RW, PROCESS, REALTIME];

/**
 * Shortest cycle through product state `start` inside product component `comp`
 * (compOf from stronglyConnected with the same automaton).
 */
export function witnessCycle(g: Graph, region: Region, auto: Automaton, compOf: Int32Array, start: number): FoundCycle {
  const S = auto.states;
  const parent = new Map<number, [number, number]>(); // product state -> [previous state, kind]
  const queue: number[] = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    const v = region.nodes[(s / S) | 0], a = s % S;
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
      const w = g.targets[e];
      if (region.regionOf[w] !== region.id) continue;
      for (const kind of KIND_PREFERENCE) {
        if (!(g.kinds[e] & kind)) continue;
        const na = auto.next[a * KIND_BITS + bitIndex(kind)];
        if (na < 0) continue;
        const t = region.localOf[w] * S + na;
        if (compOf[t] !== compOf[start] || parent.has(t)) continue;
        parent.set(t, [s, kind]);
        if (t === start) return unwind(region, S, parent, start, start);
        queue.push(t);
      }
    }
  }
  throw new Error('witnessCycle: start state is not on a cycle (not in a non-trivial component)');
}

function unwind(region: Region, S: number, parent: Map<number, [number, number]>, from: number, to: number): FoundCycle {
  const nodes: number[] = [], kinds: number[] = [];
  let s = to;
  do {
    const [p, kind] = parent.get(s)!;
    nodes.push(region.nodes[(p / S) | 0]);
    kinds.push(kind);
    s = p;
  } while (s !== from);
  nodes.reverse();
  kinds.reverse();
  return { type: classify(kinds), nodes, kinds };
}

/** What an anomaly class's cycles look like, for searchClass. */
export interface ClassSpec {
  /** Name of the class searched, e.g. 'G-single-realtime'. */
  name: string;
  /** Non-rw data edges allowed: WW (G0) or WW | WR. */
  data: number;
  rw: 'none' | 'one' | 'nonadjacent' | 'adjacent';
  /** Extra edges allowed (PROCESS, PROCESS | REALTIME) and the one the cycle must use. */
  extra: number;
  require: number;
}

/** Every class, from plain data cycles to real-time ones: the search order. */
export function allClassSpecs(withProcess: boolean, withRealtime: boolean): ClassSpec[] {
  const variants: Array<[string, number, number]> = [['', 0, 0]];
  if (withProcess) variants.push(['-process', PROCESS, PROCESS]);
  if (withRealtime) variants.push(['-realtime', PROCESS | REALTIME, REALTIME]);
  const specs: ClassSpec[] = [];
  for (const [suffix, extra, require] of variants) {
    specs.push({ name: 'G0' + suffix, data: WW, rw: 'none', extra, require });
    specs.push({ name: 'G1c' + suffix, data: WW | WR, rw: 'none', extra, require });
    specs.push({ name: 'G-single' + suffix, data: WW | WR, rw: 'one', extra, require });
    specs.push({ name: 'G-nonadjacent' + suffix, data: WW | WR, rw: 'nonadjacent', extra, require });
    specs.push({ name: 'G2-item' + suffix, data: WW | WR, rw: 'adjacent', extra, require });
  }
  return specs;
}

// Automaton state bits for searchClass: rw count (0, 1, 2+), last edge rw,
// required extra edge seen, two rw edges seen in a row.
const RWC = 8, LAST_RW = 4, EXTRA = 2, ADJ = 1;
const SPEC_STATES = 24;

function specTransition(spec: ClassSpec, a: number, kind: number): number {
  const rwc = a >> 3, last = a & LAST_RW, extra = a & EXTRA, adj = a & ADJ;
  if (kind === RW) {
    if (spec.rw === 'none') return -1;
    if (spec.rw === 'one' && rwc >= 1) return -1;
    if (spec.rw === 'nonadjacent' && last) return -1;
    return Math.min(2, rwc + 1) * RWC + LAST_RW + extra + (last ? ADJ : adj);
  }
  if (!(kind & (spec.data | spec.extra))) return -1;
  return rwc * RWC + (kind === spec.require ? EXTRA : extra) + adj;
}

function specAccepts(spec: ClassSpec, a: number): boolean {
  const rwc = a >> 3;
  if (spec.require && !(a & EXTRA)) return false;
  switch (spec.rw) {
    case 'none': return true;
    case 'one': return rwc === 1;
    // The first edge is rw, so the closing edge must not be.
    case 'nonadjacent': return rwc === 2 && !(a & LAST_RW);
    case 'adjacent': return rwc === 2 && ((a & ADJ) !== 0 || (a & LAST_RW) !== 0);
  }
}

function startKind(spec: ClassSpec): number {
  if (spec.rw !== 'none') return RW;
  if (spec.require) return spec.require;
  return spec.data & WR ? WR : WW;
}

export interface ClassSearch {
  found: FoundCycle[];
  /** Sub-components where the deadline hit before every start edge was tried. */
  timedOut: Array<{ spec: string; sccSize: number }>;
}

/**
 * Look for a cycle of `spec`'s class in `region` (one SCC of the whole graph).
 * One cycle per sub-component of the edges the class may use.
 */
export function searchClass(g: Graph, region: Region, spec: ClassSpec, deadline: number): ClassSearch {
  const allowed = spec.data | spec.extra | (spec.rw === 'none' ? 0 : RW);
  const sub = stronglyConnected(g, region, filterAutomaton(allowed));
  const result: ClassSearch = { found: [], timedOut: [] };
  if (sub.components.length === 0) return result;
  const n = region.nodes.length;
  // Transition table once per spec: table[a * 32 + kind].
  const table = new Int8Array(SPEC_STATES * 32).fill(-1);
  for (let a = 0; a < SPEC_STATES; a++) for (const k of KIND_PREFERENCE) table[a * 32 + k] = specTransition(spec, a, k);
  const seen = new Int32Array(n * SPEC_STATES);
  const parentState = new Int32Array(n * SPEC_STATES);
  const parentKind = new Uint8Array(n * SPEC_STATES);
  const queue = new Int32Array(n * SPEC_STATES);
  let stamp = 0, work = 0;
  const first = startKind(spec);
  const a0 = table[0 * 32 + first];

  for (let c = 0; c < sub.components.length; c++) {
    const members = sub.components[c];
    let found = false;
    for (let mi = 0; mi < members.length && !found; mi++) {
      const lu = members[mi];
      const u = region.nodes[lu];
      for (let e = g.offsets[u]; e < g.offsets[u + 1] && !found; e++) {
        if (!(g.kinds[e] & first)) continue;
        const v = g.targets[e];
        if (region.regionOf[v] !== region.id || sub.compOf[region.localOf[v]] !== c) continue;
        if (performance.now() > deadline) {
          result.timedOut.push({ spec: spec.name, sccSize: members.length });
          return result;
        }
        // BFS over (local node, automaton state) from v back to u.
        stamp++;
        let head = 0, tail = 0;
        const s0 = region.localOf[v] * SPEC_STATES + a0;
        seen[s0] = stamp;
        parentState[s0] = -1;
        queue[tail++] = s0;
        while (head < tail) {
          const s = queue[head++];
          const lx = (s / SPEC_STATES) | 0, a = s - lx * SPEC_STATES;
          const x = region.nodes[lx];
          if ((++work & 4095) === 0 && performance.now() > deadline) break;
          for (let f = g.offsets[x]; f < g.offsets[x + 1]; f++) {
            const w = g.targets[f];
            if (region.regionOf[w] !== region.id) continue;
            const lw = region.localOf[w];
            if (sub.compOf[lw] !== c) continue;
            const ks = g.kinds[f];
            for (let i = 0; i < KIND_PREFERENCE.length; i++) {
              const k = KIND_PREFERENCE[i];
              if (!(ks & k)) continue;
              const na = table[a * 32 + k];
              if (na < 0) continue;
              const t = lw * SPEC_STATES + na;
              if (seen[t] === stamp) continue;
              seen[t] = stamp;
              parentState[t] = s;
              parentKind[t] = k;
              if (w === u && specAccepts(spec, na)) {
                // Unwind: t back to s0, then the start edge u -> v.
                const nodes: number[] = [], kinds: number[] = [];
                let cur = t;
                while (cur !== s0) {
                  nodes.push(region.nodes[(parentState[cur] / SPEC_STATES) | 0]);
                  kinds.push(parentKind[cur]);
                  cur = parentState[cur];
                }
                nodes.push(u);
                kinds.push(first);
                nodes.reverse();
                kinds.reverse();
                result.found.push({ type: classify(kinds), nodes, kinds });
                found = true;
                break;
              }
              if (w !== u) queue[tail++] = t;
            }
            if (found) break;
          }
          if (found) break;
        }
        if (!found && performance.now() > deadline) {
          result.timedOut.push({ spec: spec.name, sccSize: members.length });
          return result;
        }
      }
    }
  }
  return result;
}
