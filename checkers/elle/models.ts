// Consistency models: which anomalies each one forbids, which weaker models it
// implies, and which dependency-graph cycles decide it (see cycles.ts). The
// relations follow Adya, Cerone et al. and Elle's consistency-model namespace;
// every rw edge here is an item anti-dependency (no predicates), so G-single
// and G-nonadjacent cycles are G2-item cycles too.
import { filterAutomaton, nonadjacentRwAutomaton, type Automaton } from './scc.ts';
import { WW, WR, RW, PROCESS, REALTIME } from './types.ts';

interface ModelSpec {
  /** Weaker models this one implies. */
  implies: string[];
  /** Anomalies it forbids directly (plus, through `implies`, what weaker models forbid). */
  forbids: string[];
  /** Cycles it forbids: edges allowed, and whether rw edges must be non-adjacent (SI). */
  cycles: { mask: number; rw: 'any' | 'nonadjacent' | 'none' };
}

const SESSION = PROCESS, STRONG = PROCESS | REALTIME;

const MODELS: Record<string, ModelSpec> = {
  'read-uncommitted': { implies: [], forbids: ['G0', 'duplicate-elements', 'cyclic-versions', 'garbage-read'], cycles: { mask: WW, rw: 'none' } },
  'strong-session-read-uncommitted': { implies: ['read-uncommitted'], forbids: ['G0-process'], cycles: { mask: WW | SESSION, rw: 'none' } },
  'strong-read-uncommitted': { implies: ['strong-session-read-uncommitted'], forbids: ['G0-realtime'], cycles: { mask: WW | STRONG, rw: 'none' } },
  'read-committed': { implies: ['read-uncommitted'], forbids: ['G1'], cycles: { mask: WW | WR, rw: 'none' } },
  'strong-session-read-committed': { implies: ['read-committed', 'strong-session-read-uncommitted'], forbids: ['G1-process'], cycles: { mask: WW | WR | SESSION, rw: 'none' } },
  'strong-read-committed': { implies: ['strong-session-read-committed', 'strong-read-uncommitted'], forbids: ['G1-realtime'], cycles: { mask: WW | WR | STRONG, rw: 'none' } },
  'repeatable-read': { implies: ['read-committed'], forbids: ['G1', 'G2-item', 'lost-update'], cycles: { mask: WW | WR, rw: 'any' } },
  'snapshot-isolation': { implies: ['read-committed'], forbids: ['internal', 'G1', 'G-nonadjacent', 'lost-update'], cycles: { mask: WW | WR, rw: 'nonadjacent' } },
  'strong-session-snapshot-isolation': { implies: ['snapshot-isolation', 'strong-session-read-committed'], forbids: ['G1-process', 'G-nonadjacent-process'], cycles: { mask: WW | WR | SESSION, rw: 'nonadjacent' } },
  'strong-snapshot-isolation': { implies: ['strong-session-snapshot-isolation', 'strong-read-committed'], forbids: ['G1-realtime', 'G-nonadjacent-realtime'], cycles: { mask: WW | WR | STRONG, rw: 'nonadjacent' } },
  serializable: { implies: ['repeatable-read', 'snapshot-isolation'], forbids: ['internal', 'G1', 'G2'], cycles: { mask: WW | WR, rw: 'any' } },
  'strong-session-serializable': { implies: ['serializable', 'strong-session-snapshot-isolation'], forbids: ['G1-process', 'G2-process'], cycles: { mask: WW | WR | SESSION, rw: 'any' } },
  'strict-serializable': { implies: ['strong-session-serializable', 'strong-snapshot-isolation', 'strong-read-committed'], forbids: ['G1-realtime', 'G2-realtime'], cycles: { mask: WW | WR | STRONG, rw: 'any' } },
};

/** Other accepted spellings. */
const ALIASES: Record<string, string> = {
  'strong-serializable': 'strict-serializable',
  'strong-session-si': 'strong-session-snapshot-isolation',
  'strong-si': 'strong-snapshot-isolation',
  si: 'snapshot-isolation',
};

export const CONSISTENCY_MODELS: readonly string[] = Object.keys(MODELS);

/** Anomaly -> anomalies it implies (a G0 cycle is also a G1c cycle, and so on). */
const IMPLIES: Record<string, string[]> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1-process', 'G1c-realtime'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single': ['G-nonadjacent', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2-item', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-item-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-item-realtime'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-process': ['G2-realtime'],
  'incompatible-order': ['G1a'],
  'dirty-update': ['G1a'],
  'future-read': ['G1c'],
  'lost-update': ['G2-item'],
};

export function canonicalModel(name: string): string {
  const n = ALIASES[name] ?? name;
  if (!MODELS[n]) throw new Error(`unknown consistency model '${name}'; known: ${CONSISTENCY_MODELS.join(', ')}`);
  return n;
}

/**
 * Every anomaly name a caller may ask for (Elle's :anomalies): the ones the
 * analyses report and the classes they imply, e.g. G1 (G1a, G1b or G1c).
 */
export const ANOMALY_NAMES: readonly string[] = [
  ...new Set([...Object.keys(IMPLIES), ...Object.values(IMPLIES).flat(), ...Object.values(MODELS).flatMap((m) => m.forbids)]),
].sort();

const ANOMALY_BY_LOWER_CASE = new Map(ANOMALY_NAMES.map((a) => [a.toLowerCase(), a]));

/** The anomaly's own spelling ('g-single' and ':G-single' are 'G-single'); throws on an unknown name. */
export function canonicalAnomaly(name: string): string {
  const a = ANOMALY_BY_LOWER_CASE.get(name.replace(/^:/, '').toLowerCase());
  if (!a) throw new Error(`unknown anomaly '${name}'; known: ${ANOMALY_NAMES.join(', ')}`);
  return a;
}

/**
 * The asked-for anomalies present in `found`: found themselves, or implied by
 * one found (asking for G2-item catches a G-single too, as in Elle).
 */
export function anomaliesPresent(found: Iterable<string>, asked: readonly string[]): string[] {
  const implied = closure(found, (a) => IMPLIES[a] ?? []);
  return asked.filter((a) => implied.has(a));
}

/** Edge kinds needed to see the asked-for anomalies (the -process and -realtime classes). */
export function edgesNeededFor(anomalies: readonly string[]): { process: boolean; realtime: boolean } {
  return { process: anomalies.some((a) => a.endsWith('-process')), realtime: anomalies.some((a) => a.endsWith('-realtime')) };
}

function closure(start: Iterable<string>, step: (x: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const x = todo.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    todo.push(...step(x));
  }
  return seen;
}

/** The models and every weaker model they imply. */
export function impliedModels(models: Iterable<string>): Set<string> {
  return closure([...models].map(canonicalModel), (m) => MODELS[m].implies);
}

/** Every model that falls if these anomalies are present, split into weakest (`not`) and the rest. */
export function ruledOut(anomalies: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const implied = closure(anomalies, (a) => IMPLIES[a] ?? []);
  const impossible = new Set<string>();
  for (const [m, spec] of Object.entries(MODELS)) if (spec.forbids.some((a) => implied.has(a))) impossible.add(m);
  // A model that implies an impossible one is impossible too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const [m, spec] of Object.entries(MODELS))
      if (!impossible.has(m) && spec.implies.some((w) => impossible.has(w))) {
        impossible.add(m);
        grew = true;
      }
  }
  // Weakest: impossible models none of whose implied models is impossible.
  const not = [...impossible].filter((m) => ![...impliedModels([m])].some((w) => w !== m && impossible.has(w))).sort();
  const alsoNot = [...impossible].filter((m) => !not.includes(m)).sort();
  return { not, alsoNot };
}

/** Edge kinds the models need beyond data dependencies. */
export function edgesNeeded(models: Iterable<string>): { process: boolean; realtime: boolean } {
  let mask = 0;
  for (const m of impliedModels(models)) mask |= MODELS[m].cycles.mask;
  return { process: (mask & PROCESS) !== 0, realtime: (mask & REALTIME) !== 0 };
}

/** The product automaton whose cycles are exactly the cycles `model` forbids. */
export function modelAutomaton(model: string): Automaton {
  const { mask, rw } = MODELS[canonicalModel(model)].cycles;
  if (rw === 'nonadjacent') return nonadjacentRwAutomaton(mask, RW);
  return filterAutomaton(rw === 'any' ? mask | RW : mask);
}
