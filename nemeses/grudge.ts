// Partition shapes as "grudges" (Jepsen's term): for each node, the nodes
// whose packets it drops on receive. Dropping on receive means a grudge
// entry B in A's list cuts B -> A only; a two-way cut needs both entries.
// Pure functions: randomness comes in as a seeded Random.
import type { Random } from '../generator/index.ts';

/** node -> the nodes whose packets it drops. Nodes with no grudge may be absent. */
export type Grudge = Record<string, string[]>;

export const PARTITION_SHAPES = ['halves', 'one', 'leader', 'ring', 'bridge', 'one-way'] as const;
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/** Fewest nodes each shape needs to mean anything. */
export const MIN_NODES: Record<PartitionShape, number> = { halves: 2, one: 2, leader: 2, ring: 3, bridge: 3, 'one-way': 2 };

export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** Fisher-Yates on a copy, driven by the seeded stream. */
export const shuffle = <T>(items: readonly T[], random: Random): T[] => random.shuffled(items);

/** Disjoint groups that cannot reach each other at all; inside a group everything flows. */
export function complete(components: readonly (readonly string[])[]): Grudge {
  const g: Grudge = {};
  for (const comp of components) {
    const others = components.filter((c) => c !== comp).flat();
    for (const n of comp) g[n] = [...others];
  }
  return g;
}

/** Random halves: the smaller half (floor(n/2)) against the rest. */
export function halves(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  const cut = Math.floor(s.length / 2);
  return complete([s.slice(0, cut), s.slice(cut)]);
}

/** One node cut off from every other, both ways. */
export function isolate(nodes: readonly string[], node: string): Grudge {
  return complete([[node], nodes.filter((n) => n !== node)]);
}

/**
 * Majorities ring: nodes on a shuffled ring, each sees the majority-sized
 * window of ring positions around itself (centred; one further ahead when the
 * majority is even). Every node sees a majority and no two see the same one,
 * so every node may believe it is in the majority. Odd majorities give a
 * symmetric grudge, even ones (3, 6 ... nodes) an asymmetric one.
 */
export function ring(nodes: readonly string[], random: Random): Grudge {
  const s = shuffle(nodes, random);
  const n = s.length;
  const m = majority(n);
  const back = Math.floor((m - 1) / 2);
  const g: Grudge = {};
  s.forEach((node, i) => {
    const sees = new Set(Array.from({ length: m }, (_, k) => s[(i - back + k + n) % n]));
    g[node] = s.filter((x) => !sees.has(x));
  });
  return g;
}

/**
 * Bridge: two halves that cannot reach each other, joined by one node that
 * sees (and is seen by) both. With 5 nodes: a b | c | d e, c the bridge.
 */
export function bridge(nodes: readonly string[], random: Random): Grudge {
  const [b, ...rest] = shuffle(nodes, random);
  const cut = Math.floor(rest.length / 2);
  const left = rest.slice(0, cut);
  const right = rest.slice(cut);
  return { ...complete([left, right]), [b]: [] };
}

/** Packets from `from` to each of `to` are dropped (on the receivers); the other direction flows. */
export function oneWay(from: string, to: readonly string[]): Grudge {
  return Object.fromEntries(to.map((n) => [n, [from]]));
}

/**
 * The grudge for a shape. `leader` is asked right before the fault; the
 * leader shape without one is an error the caller turns into a failed op.
 * one-way: a random node's outgoing packets are dropped by every other node,
 * while it still hears them (it keeps receiving the leader's heartbeats but
 * nobody hears its answers).
 */
export function partitionGrudge(shape: PartitionShape, nodes: readonly string[], random: Random, leader?: string): Grudge {
  if (nodes.length < MIN_NODES[shape]) throw new Error(`partition ${shape} needs at least ${MIN_NODES[shape]} nodes, have ${nodes.length}`);
  switch (shape) {
    case 'halves':
      return halves(nodes, random);
    case 'one':
      return isolate(nodes, random.pick(nodes));
    case 'leader':
      if (leader === undefined) throw new Error('no leader to isolate');
      return isolate(nodes, leader);
    case 'ring':
      return ring(nodes, random);
    case 'bridge':
      return bridge(nodes, random);
    case 'one-way': {
      const from = random.pick(nodes);
      return oneWay(from, nodes.filter((n) => n !== from));
    }
  }
}

/** Every node's grudge, over all pairs: for loss between every pair of nodes. */
export function allPairs(nodes: readonly string[]): Grudge {
  return Object.fromEntries(nodes.map((n) => [n, nodes.filter((x) => x !== n)]));
}

export const LOSS_SHAPES = ['all', 'one'] as const;
export type LossShape = (typeof LOSS_SHAPES)[number];

/** Where packet loss applies: between every pair, or on every link of one random node. */
export function lossGrudge(shape: LossShape, nodes: readonly string[], random: Random): Grudge {
  return shape === 'all' ? allPairs(nodes) : isolate(nodes, random.pick(nodes));
}

/** Can `from`'s packets reach `to`? */
export const reaches = (g: Grudge, from: string, to: string): boolean => !(g[to] ?? []).includes(from);

/** Nodes whose traffic a grudge touches (as receiver or sender). */
export function touched(g: Grudge): string[] {
  const s = new Set<string>();
  for (const [to, froms] of Object.entries(g)) {
    if (froms.length === 0) continue;
    s.add(to);
    for (const f of froms) s.add(f);
  }
  return [...s].sort(byName);
}

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/**
 * One line a person reads: groups "n1 n2 | n3 n4 n5" when the grudge is a
 * set of fully cut components, else the cut directions "n1 -x-> n3, ...".
 */
export function describeGrudge(g: Grudge, nodes: readonly string[]): string {
  const comps = components(g, nodes);
  if (comps) return comps.map((c) => c.join(' ')).join(' | ');
  const twoWay: string[] = [];
  const oneWayTo = new Map<string, string[]>(); // sender -> receivers that drop it
  for (const to of [...nodes].sort(byName)) {
    for (const from of g[to] ?? []) {
      if (reaches(g, to, from)) oneWayTo.set(from, [...(oneWayTo.get(from) ?? []), to]);
      else if (byName(from, to) < 0) twoWay.push(`${from} -x- ${to}`);
    }
  }
  const oneWayCuts = [...oneWayTo].sort(([a], [b]) => byName(a, b)).map(([from, tos]) => `${from} -x-> ${tos.sort(byName).join(' ')} (one-way)`);
  return [...twoWay, ...oneWayCuts].join(', ') || 'no cut';
}

/** The groups if `g` is exactly "complete" over them, else undefined. */
function components(g: Grudge, nodes: readonly string[]): string[][] | undefined {
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const n of [...nodes].sort(byName)) {
    if (seen.has(n)) continue;
    const group = nodes.filter((x) => x === n || (reaches(g, x, n) && reaches(g, n, x))).sort(byName);
    for (const x of group) seen.add(x);
    groups.push(group);
  }
  if (groups.length < 2) return undefined;
  const same = JSON.stringify(normalise(complete(groups), nodes)) === JSON.stringify(normalise(g, nodes));
  return same ? groups : undefined;
}

function normalise(g: Grudge, nodes: readonly string[]): Record<string, string[]> {
  return Object.fromEntries([...nodes].sort(byName).map((n) => [n, [...(g[n] ?? [])].sort(byName)]));
}
