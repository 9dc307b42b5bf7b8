// Random fault schedules against the in-memory cluster (raft-sim.ts): partitions,
// one-way cuts, crashes and restarts, pauses, message reordering (a latency
// range wider than the heartbeat), over seeded knob settings (entries per
// append, compaction interval). Deterministic per seed (but for a
// linearizability search cut short by its time cap) and pure CPU (a
// schedule of 5 nodes and 5 virtual seconds takes about 0.15 s), so a
// thousand schedules per mutant fit in minutes where the Docker runs of
// `explore` fit eight in two.
//
// What it can see: the log-level safety rules the simulator records (two
// leaders in one term; two different entries applied at one index, which is
// also how a lost committed entry shows once every member catches up at the
// end). What it cannot: stale reads (no client history is checked), and the
// mutants that live in raftkv's storage or server rather than in the Raft
// core (the simulator's disk is its own). It measures, per mutant, how often
// the planted bug acts and how often an act does damage a checker could see:
// a mutant that acts often and never does damage is a candidate equivalent
// mutant.
import { Random } from '../generator/random.ts';
import type { MutantName } from '../raftkv/mutants.ts';
import type { NodeId } from '../raftkv/raft/messages.ts';
import { Sim } from './raft-sim.ts';
import type { Op } from '../history/index.ts';
import { checkLinearizability } from '../checkers/linearizability/index.ts';
import { kvModel } from '../checkers/models/index.ts';

/** Mutants planted outside the Raft core (raftkv/storage.ts, server.ts): the simulator cannot run them. */
export const OUTSIDE_THE_CORE: readonly MutantName[] = ['vote-not-persisted', 'term-not-restored', 'truncation-lost-on-restart'];

export interface FuzzOutcome {
  seed: number;
  knobs: { maxEntriesPerAppend: number; snapshotEvery: number; latency: [number, number] };
  /** Safety violations the simulator recorded (first few). */
  violations: string[];
  /**
   * The clients' puts and gets, checked against a key-value register: false when not linearizable;
   * 'unknown' when not checked (a safety violation already showed damage) or the search ran out of time.
   */
  linearizable: boolean | 'unknown';
  /** Puts and gets the clients made. */
  ops: number;
  /** Acts of the planted mutants. */
  acts: number;
  /** Faults injected. */
  faults: number;
}

const NODES = 5;
/** Virtual ms of faults and load, then of healed catch-up (every member applies what the leader committed). */
const FAULT_MS = 3_000;
const SETTLE_MS = 2_000;
/** Per schedule: a valid history of ~1500 ops checks in milliseconds; a broken one may search long. */
const LIN_TIMEOUT_MS = 3_000;

/** One seeded schedule on a 5-node cluster with the given mutants planted (none: the correct Raft). */
export function fuzzOnce(seed: number, mutants: readonly MutantName[] = []): FuzzOutcome {
  const random = new Random(seed);
  const knobs = {
    maxEntriesPerAppend: random.pick([1, 2, 64]),
    snapshotEvery: random.pick([0, 5, 20]),
    // Heartbeats every 20 ms: up to 5 ms keeps messages in order mostly, up to 60 ms reorders them.
    latency: random.pick([[1, 5], [1, 60]] as [number, number][]),
  };
  const sim = new Sim({ nodes: NODES, seed: random.uint32(), mutants: [...mutants], ...knobs });
  const ids = sim.ids;
  const down = new Set<NodeId>();
  let faults = 0;
  let value = 0;
  let nextFaultAt = 200 + random.int(300);
  // Restarts of crashed members and resumes of paused ones, due at a virtual time.
  const later: { at: number; run: () => void }[] = [];

  const writes: { key: string; value: string; at: number; entry?: string }[] = [];
  const reads: { id: string; at: number }[] = [];
  // Clients reach only members that run: not crashed, not paused (a stopped process takes no request).
  const answering = () => ids.filter((id) => !down.has(id) && !sim.isPaused(id));
  const propose = () => {
    const leader = sim.leader(answering());
    if (!leader) return;
    const w = { key: `k${random.int(3)}`, value: String(value++), at: sim.now };
    const r = sim.propose(leader, { op: 'put', key: w.key, value: w.value });
    writes.push(r.ok ? { ...w, entry: `${r.index}:${r.term}` } : w);
  };
  // Reads go to any member that answers: a follower refuses, a leader (deposed or not) may serve.
  const read = () => {
    const live = answering();
    if (live.length) reads.push({ id: sim.read(random.pick(live), `k${random.int(3)}`), at: sim.now });
  };

  for (let t = 0; t < FAULT_MS; t++) {
    if (t % 7 === 0) propose();
    if (t % 5 === 0) read();
    for (const due of later.filter((l) => l.at <= sim.now)) {
      later.splice(later.indexOf(due), 1);
      due.run();
    }
    if (t >= nextFaultAt) {
      faults++;
      injectOne(sim, random, down, (ms, run) => later.push({ at: sim.now + ms, run }));
      nextFaultAt = t + 100 + random.int(400);
    }
    sim.run(1);
  }

  // Heal everything and let every member catch up, with a little load so a new leader commits in its term.
  sim.heal();
  for (const id of ids) sim.resume(id);
  for (const id of [...down]) sim.restart(id);
  down.clear();
  for (let t = 0; t < SETTLE_MS; t++) {
    if (t % 50 === 0) propose();
    sim.run(1);
  }
  const history = clientHistory(sim, writes, reads);
  // Damage already shown needs no second witness, and the search over a broken history can take long.
  const violations = sim.violations.slice(0, 5);
  const linearizable = violations.length > 0 ? ('unknown' as const) : checkLinearizability(history, kvModel(), { timeoutMs: LIN_TIMEOUT_MS }).valid;
  return {
    seed,
    knobs,
    violations,
    linearizable,
    ops: history.length / 2,
    acts: [...sim.mutantActs.values()].reduce((a, b) => a + b, 0),
    faults,
  };
}

/**
 * The clients' history: a put completes when its entry was first applied anywhere (it was committed by
 * then; the leader's ack comes no earlier), or stays unknown (info) if it never was; a get completes when
 * served, or fails (it changed nothing). At equal times invokes come first: the ops then overlap, which
 * can only make the check more lenient.
 */
function clientHistory(sim: Sim, writes: { key: string; value: string; at: number; entry?: string }[], reads: { id: string; at: number }[]): Op[] {
  const end = sim.now + 1;
  const events: { at: number; first: boolean; op: Omit<Op, 'index' | 'time'> }[] = [];
  let process = 0;
  for (const w of writes) {
    const p = process++;
    events.push({ at: w.at, first: true, op: { process: p, type: 'invoke', f: 'put', value: [w.key, w.value] } });
    const done = w.entry === undefined ? undefined : sim.firstApplied.get(w.entry);
    if (w.entry === undefined) events.push({ at: w.at, first: false, op: { process: p, type: 'fail', f: 'put', value: [w.key, w.value] } });
    else events.push({ at: done ?? end, first: false, op: { process: p, type: done === undefined ? 'info' : 'ok', f: 'put', value: [w.key, w.value] } });
  }
  for (const r of reads) {
    const p = process++;
    const o = sim.reads.get(r.id)!;
    events.push({ at: r.at, first: true, op: { process: p, type: 'invoke', f: 'get', value: [o.key, null] } });
    const served = o.at !== undefined && !o.failed;
    events.push({ at: o.at ?? end, first: false, op: { process: p, type: served ? 'ok' : 'fail', f: 'get', value: [o.key, served ? String(o.value ?? '') : null] } });
  }
  events.sort((a, b) => a.at - b.at || Number(b.first) - Number(a.first));
  return events.map((e, index) => ({ ...e.op, index, time: e.at * 1e6 }) as Op);
}

/** One fault, drawn: a partition of any shape, a one-way cut, a crash (restarted later), a pause, or a heal. */
function injectOne(sim: Sim, random: Random, down: Set<NodeId>, after: (ms: number, run: () => void) => void): void {
  const ids = sim.ids;
  const node = random.pick(ids);
  switch (random.pick(['partition', 'isolate', 'cut', 'crash', 'pause', 'heal'] as const)) {
    case 'partition': {
      const shuffled = random.shuffled(ids);
      const k = 1 + random.int(ids.length - 1);
      sim.partition(shuffled.slice(0, k), shuffled.slice(k));
      break;
    }
    case 'isolate':
      sim.isolate(node);
      break;
    case 'cut':
      sim.cut(node, random.pick(ids.filter((id) => id !== node)));
      break;
    case 'crash':
      // At most two down at once: a majority stays to make progress.
      if (down.has(node) || down.size >= 2) break;
      sim.crash(node);
      down.add(node);
      after(50 + random.int(400), () => {
        sim.restart(node);
        down.delete(node);
      });
      break;
    case 'pause':
      sim.pause(node);
      after(50 + random.int(400), () => sim.resume(node));
      break;
    case 'heal':
      sim.heal();
      for (const id of ids) sim.resume(id);
      break;
  }
}
