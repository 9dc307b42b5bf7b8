// Random concurrent histories for property tests, and a brute-force checker
// that tries every order (no memoisation, no pruning): the ground truth the
// WGL search must agree with on small histories.
import type { History, Op, OpType } from '../history/op.ts';
import type { Call, Model } from '../checkers/models/model.ts';
import { prepare } from '../checkers/linearizability/prepare.ts';

/** mulberry32: small, seeded, good enough for tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One kind of object to generate ops for: a random invocation, and what really happens when it runs. */
export interface Workload<S> {
  name: string;
  init: S;
  /** A random op: f and invoke value. */
  invoke(rand: () => number): { f: string; value: unknown };
  /** Run it on the real (sequential) object: the completion type and value, and the new state. */
  execute(state: S, f: string, value: unknown): { type: 'ok' | 'fail'; value: unknown; state: S };
  /** A plausible random completion value for a read-like op (for histories with random results). */
  randomResult?(rand: () => number, f: string, value: unknown): unknown;
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

export const casRegisterWorkload: Workload<number | null> = {
  name: 'cas-register',
  init: null,
  invoke(rand) {
    const r = rand();
    if (r < 0.4) return { f: 'read', value: null };
    if (r < 0.75) return { f: 'write', value: Math.floor(rand() * 4) };
    return { f: 'cas', value: [Math.floor(rand() * 4), Math.floor(rand() * 4)] };
  },
  execute(state, f, value) {
    if (f === 'read') return { type: 'ok', value: state, state };
    if (f === 'write') return { type: 'ok', value, state: value as number };
    const [from, to] = value as [number, number];
    return state === from ? { type: 'ok', value, state: to } : { type: 'fail', value, state };
  },
  randomResult: (rand, f, value) => (f === 'read' ? pick(rand, [null, 0, 1, 2, 3]) : value),
};

export const kvWorkload: Workload<Record<string, string>> = {
  name: 'kv',
  init: {},
  invoke(rand) {
    const key = pick(rand, ['a', 'b']);
    const r = rand();
    if (r < 0.4) return { f: 'get', value: [key, null] };
    if (r < 0.55) return { f: 'put', value: [key, `p${Math.floor(rand() * 3)}`] };
    return { f: 'append', value: [key, pick(rand, ['x', 'y', 'z'])] };
  },
  execute(state, f, value) {
    const [k, v] = value as [string, string | null];
    const cur = state[k] ?? '';
    if (f === 'get') return { type: 'ok', value: [k, cur], state };
    const next = f === 'put' ? (v ?? '') : cur + (v ?? '');
    return { type: 'ok', value, state: { ...state, [k]: next } };
  },
  randomResult: (rand, f, value) => (f === 'get' ? [(value as [string])[0], pick(rand, ['', 'x', 'y', 'xy', 'yx', 'p0', 'p1z'])] : value),
};

export const mutexWorkload: Workload<boolean> = {
  name: 'mutex',
  init: false,
  invoke: (rand) => ({ f: rand() < 0.5 ? 'acquire' : 'release', value: null }),
  execute(held, f, value) {
    if (f === 'acquire') return held ? { type: 'fail', value, state: held } : { type: 'ok', value, state: true };
    return held ? { type: 'ok', value, state: false } : { type: 'fail', value, state: held };
  },
};

export const setWorkload: Workload<number[]> = {
  name: 'set',
  init: [],
  invoke: (rand) => (rand() < 0.4 ? { f: 'read', value: null } : { f: 'add', value: Math.floor(rand() * 5) }),
  execute(state, f, value) {
    if (f === 'read') return { type: 'ok', value: [...state].sort(), state };
    return { type: 'ok', value, state: state.includes(value as number) ? state : [...state, value as number] };
  },
  randomResult: (rand, f, value) => (f === 'read' ? pick(rand, [[], [1], [1, 2], [0, 3], [2]]) : value),
};

export const unorderedQueueWorkload: Workload<number[]> = {
  name: 'queue',
  init: [],
  invoke: (rand) => (rand() < 0.5 ? { f: 'dequeue', value: null } : { f: 'enqueue', value: Math.floor(rand() * 5) }),
  execute(state, f, value) {
    if (f === 'enqueue') return { type: 'ok', value, state: [...state, value as number] };
    // Any element may come out: take the largest, to differ from FIFO order.
    if (state.length === 0) return { type: 'ok', value: null, state };
    const i = state.indexOf(Math.max(...state));
    return { type: 'ok', value: state[i], state: [...state.slice(0, i), ...state.slice(i + 1)] };
  },
  randomResult: (rand, f, value) => (f === 'dequeue' ? pick(rand, [null, 0, 1, 2, 3, 4]) : value),
};

export const fifoQueueWorkload: Workload<number[]> = {
  name: 'fifo-queue',
  init: [],
  invoke: (rand) => (rand() < 0.5 ? { f: 'dequeue', value: null } : { f: 'enqueue', value: Math.floor(rand() * 5) }),
  execute(state, f, value) {
    if (f === 'enqueue') return { type: 'ok', value, state: [...state, value as number] };
    return state.length ? { type: 'ok', value: state[0], state: state.slice(1) } : { type: 'ok', value: null, state };
  },
  randomResult: (rand, f, value) => (f === 'dequeue' ? pick(rand, [null, 0, 1, 2, 3, 4]) : value),
};

export interface GenOptions {
  ops: number;
  processes: number;
  /** Chance that an op crashes: completion :info, effect applied or not at random. */
  infoRate?: number;
  /** Replace the results of read-like ops by random values (mostly non-linearizable histories). */
  randomResults?: boolean;
}

/**
 * A history from a real run: each op takes effect at a random instant between
 * its invoke and its completion, in that order, on a sequential object.
 */
export function generateHistory<S>(w: Workload<S>, seed: number, o: GenOptions): History {
  const rand = rng(seed);
  interface Planned { process: number; start: number; at: number; end: number; f: string; value: unknown; crash: boolean; applies: boolean }
  const planned: Planned[] = [];
  const clock = new Array<number>(o.processes).fill(0);
  for (let i = 0; i < o.ops; i++) {
    const p = Math.floor(rand() * o.processes);
    const start = clock[p] + rand() * 3;
    const end = start + 0.5 + rand() * 6;
    const crash = rand() < (o.infoRate ?? 0);
    const { f, value } = w.invoke(rand);
    planned.push({ process: p, start, at: start + rand() * (end - start), end, f, value, crash, applies: !crash || rand() < 0.5 });
    clock[p] = end;
  }
  // Run the ops on the real object in the order they take effect.
  let state = w.init;
  const outcome = new Map<Planned, { type: 'ok' | 'fail'; value: unknown }>();
  for (const op of [...planned].sort((a, b) => a.at - b.at)) {
    if (!op.applies) continue;
    const r = w.execute(state, op.f, op.value);
    state = r.state;
    outcome.set(op, { type: r.type, value: r.value });
  }
  const events: { time: number; op: Omit<Op, 'index'> }[] = [];
  // A crashed process is retired, as in Jepsen: its successor gets a fresh number.
  const procId = new Map<Planned, number>();
  const generation = new Array<number>(o.processes).fill(0);
  for (const op of planned) {
    procId.set(op, op.process + 1000 * generation[op.process]);
    if (op.crash) generation[op.process]++;
  }
  for (const op of planned) {
    const process = procId.get(op)!;
    events.push({ time: op.start, op: { time: 0, process, type: 'invoke', f: op.f, value: op.value } });
    if (op.crash) {
      if (rand() < 0.7) events.push({ time: op.end, op: { time: 0, process, type: 'info', f: op.f, value: op.value } });
      continue;
    }
    const r = outcome.get(op)!;
    let value = r.value;
    if (o.randomResults && w.randomResult && r.type === 'ok') value = w.randomResult(rand, op.f, op.value);
    events.push({ time: op.end, op: { time: 0, process, type: r.type as OpType, f: op.f, value } });
  }
  events.sort((a, b) => a.time - b.time);
  return events.map((e, index) => ({ ...e.op, index, time: Math.round(e.time * 1000) }));
}

/**
 * Make one completed read of a register return a value that was certainly
 * overwritten before the read began (the classic stale read): every op that
 * could write that value completed before another write started, and that
 * write completed before the read was invoked. Undefined when no read qualifies.
 */
export function staleRead(history: History, rand: () => number): History | undefined {
  const completion = new Map<Op, number>();
  const open = new Map<Op['process'], Op>();
  for (const op of history) {
    if (op.type === 'invoke') open.set(op.process, op);
    else {
      const inv = open.get(op.process);
      if (inv) completion.set(inv, op.type === 'ok' ? op.index : op.type === 'fail' ? -1 : Infinity);
      open.delete(op.process);
    }
  }
  const end = (inv: Op) => completion.get(inv) ?? Infinity;
  const writers = history.filter((op) => op.type === 'invoke' && (op.f === 'write' || op.f === 'cas') && end(op) !== -1);
  const wrote = (op: Op) => (op.f === 'write' ? op.value : (op.value as unknown[])[1]);
  const candidates: { read: Op; value: unknown }[] = [];
  for (const op of history) {
    if (op.type !== 'ok' || op.f !== 'read') continue;
    const inv = [...completion].find(([i, c]) => c === op.index && i.f === 'read')?.[0];
    if (!inv) continue;
    for (const v of new Set(writers.map(wrote))) {
      if (v === op.value) continue;
      const lastV = Math.max(...writers.filter((w) => wrote(w) === v).map(end));
      const overwritten = writers.some((w) => wrote(w) !== v && w.index > lastV && end(w) < inv.index);
      if (lastV < inv.index && overwritten) candidates.push({ read: op, value: v });
    }
  }
  if (candidates.length === 0) return undefined;
  const { read, value } = pick(rand, candidates);
  return history.map((op) => (op === read ? { ...op, value } : op));
}

/** Ground truth: try every order of the ops (indeterminate ones may be left out). */
export function bruteForceLinearizable(history: History, model: Model): boolean {
  const { partitions } = prepare(history, model, { partition: false });
  const ops = partitions[0].ops;
  const n = ops.length;
  const placed = new Array<boolean>(n).fill(false);
  const finite = ops.filter((o) => o.returnPos !== Infinity).length;
  const calls: Call[] = ops.map((o) => o.call);
  const groupUsed = new Set<number>();
  const go = (state: unknown, placedFinite: number): boolean => {
    if (placedFinite === finite) return true;
    for (let i = 0; i < n; i++) {
      // Alternatives of one lost op: at most one takes effect.
      if (placed[i] || (ops[i].group >= 0 && groupUsed.has(ops[i].group))) continue;
      // Real time: every op that returned before i was called must already be placed.
      let ready = true;
      for (let j = 0; j < n && ready; j++) if (!placed[j] && j !== i && ops[j].returnPos < ops[i].callPos) ready = false;
      if (!ready) continue;
      const next = model.step(state, calls[i]);
      if (next === undefined) continue;
      placed[i] = true;
      if (ops[i].group >= 0) groupUsed.add(ops[i].group);
      const ok = go(next, placedFinite + (ops[i].returnPos === Infinity ? 0 : 1));
      placed[i] = false;
      groupUsed.delete(ops[i].group);
      if (ok) return true;
    }
    return false;
  };
  return go(model.init(), 0);
}
