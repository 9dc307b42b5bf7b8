// A deterministic in-memory cluster for testing the pure Raft core: a virtual
// clock, a network with latency, partitions and one-way cuts, crashable nodes
// whose "disks" keep exactly what each Ready asked to persist, and the real
// KV state machine. It records safety violations as they happen:
//   - two leaders in one term (election safety)
//   - two different entries applied at one index (state machine safety)
import { RaftNode, type Ready } from '../raftkv/raft/node.ts';
import type { Entry, HardState, Message, NodeId, Snapshot } from '../raftkv/raft/messages.ts';
import { KvState, type Json, type KvCommand } from '../raftkv/kv-state.ts';
import type { BugName } from '../raftkv/bugs.ts';
import type { MutantName } from '../raftkv/mutants.ts';
import { Random } from '../generator/random.ts';

/** A seeded stream of floats in [0, 1): the harness's own PRNG, so every seed means the same thing everywhere. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.float();
}

export interface SimOptions {
  nodes?: number;
  seed?: number;
  bugs?: BugName[];
  /** Planted bugs of the mutation suite (raftkv/mutants.ts). */
  mutants?: MutantName[];
  electionTimeout?: number;
  heartbeatInterval?: number;
  maxEntriesPerAppend?: number;
  /** One-way message delay range in virtual ms. */
  latency?: [number, number];
  /** Compact the log once this many entries were applied past the last snapshot. */
  snapshotEvery?: number;
}

interface Disk {
  hardState?: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
}

export interface ReadOutcome {
  node: NodeId;
  key: string;
  /** Set when served. */
  value?: Json | null;
  index?: number;
  failed?: boolean;
  /** Virtual time it was served or failed. */
  at?: number;
}

export class Sim {
  now = 0;
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, RaftNode | undefined>();
  readonly kvs = new Map<NodeId, KvState>();
  readonly disks = new Map<NodeId, Disk>();
  readonly violations: string[] = [];
  /** Every message delivered, for tests that look at traffic. */
  delivered = 0;
  /** Per node: how fast its clock runs against virtual time (1 = true time; clock faults). */
  readonly clockRate = new Map<NodeId, number>();
  /** Per node: its clock reading, advanced by its rate every virtual ms. */
  private readonly clocks = new Map<NodeId, number>();
  readonly reads = new Map<string, ReadOutcome>();
  /** Acts of planted mutants, per mutant (at most one per node and term, as the node reports them). */
  readonly mutantActs = new Map<MutantName, number>();
  /** Hook to drop or rewrite messages in flight; return undefined to drop. */
  filter: ((m: Message) => Message | undefined) | undefined;

  private readonly rng: () => number;
  private readonly opts: Required<Omit<SimOptions, 'bugs' | 'mutants' | 'seed' | 'nodes'>> & { bugs: BugName[]; mutants: MutantName[] };
  private inflight: { at: number; msg: Message }[] = [];
  private readonly blocked = new Set<string>();
  private readonly paused = new Set<NodeId>();
  private readonly appliedAt = new Map<number, { term: number; node: NodeId }>();
  /** When an entry (`index:term`) was first applied anywhere: it was committed by then. */
  readonly firstApplied = new Map<string, number>();
  private readonly leadersByTerm = new Map<number, NodeId>();
  private readsWaiting = new Map<NodeId, { id: string; index: number }[]>();
  private nextReadId = 0;

  constructor(options: SimOptions = {}) {
    this.rng = seededRandom(options.seed ?? 1);
    this.ids = Array.from({ length: options.nodes ?? 3 }, (_, i) => `n${i + 1}`);
    this.opts = {
      electionTimeout: options.electionTimeout ?? 100,
      heartbeatInterval: options.heartbeatInterval ?? 20,
      maxEntriesPerAppend: options.maxEntriesPerAppend ?? 64,
      latency: options.latency ?? [1, 5],
      snapshotEvery: options.snapshotEvery ?? 0,
      bugs: options.bugs ?? [],
      mutants: options.mutants ?? [],
    };
    for (const id of this.ids) {
      this.disks.set(id, { entries: [] });
      this.start(id);
    }
  }

  // ---- control ------------------------------------------------------------

  /** Advance virtual time by `ms`, one millisecond at a time. */
  run(ms: number): void {
    for (let i = 0; i < ms; i++) this.step();
  }

  /** Run until `done()` holds; false if it did not within `maxMs`. */
  runUntil(done: () => boolean, maxMs = 5_000): boolean {
    for (let i = 0; i < maxMs; i++) {
      if (done()) return true;
      this.step();
    }
    return done();
  }

  node(id: NodeId): RaftNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`${id} is down`);
    return n;
  }

  /** The leader with the highest term among live nodes (of `among`, default all), if any. */
  leader(among: NodeId[] = this.ids): NodeId | undefined {
    let best: { id: NodeId; term: number } | undefined;
    for (const id of among) {
      const s = this.nodes.get(id)?.status();
      if (s?.role === 'leader' && (!best || s.term > best.term)) best = { id, term: s.term };
    }
    return best?.id;
  }

  waitForLeader(among: NodeId[] = this.ids, maxMs = 5_000): NodeId {
    if (!this.runUntil(() => this.leader(among) !== undefined, maxMs)) throw new Error('no leader elected');
    return this.leader(among)!;
  }

  /** Block all traffic between the groups (traffic inside a group flows). */
  partition(...groups: NodeId[][]): void {
    this.heal();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
  }

  /** Drop messages from `from` to `to` only (a one-way cut). */
  cut(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  /** Isolate one node both ways from everyone else. */
  isolate(id: NodeId): void {
    for (const o of this.ids) if (o !== id) this.blocked.add(`${id}>${o}`).add(`${o}>${id}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  /** Freeze a node (SIGSTOP): no ticks, messages to it wait in the network. */
  pause(id: NodeId): void {
    this.paused.add(id);
  }

  resume(id: NodeId): void {
    this.paused.delete(id);
  }

  isPaused(id: NodeId): boolean {
    return this.paused.has(id);
  }

  /** Put a message on the wire as is (to replay an old one). */
  inject(msg: Message): void {
    this.inflight.push({ at: this.now + 1, msg: structuredClone(msg) });
  }

  crash(id: NodeId): void {
    this.nodes.set(id, undefined);
    this.inflight = this.inflight.filter((f) => f.msg.to !== id);
    this.readsWaiting.delete(id);
  }

  /** Restart from what the node's disk holds (its state machine rebuilt from snapshot + log). */
  restart(id: NodeId): void {
    this.start(id);
  }

  propose(id: NodeId, command: KvCommand): ReturnType<RaftNode['propose']> {
    const result = this.node(id).propose(command);
    this.drive(id);
    return result;
  }

  /** Start a ReadIndex read of `key` at `id`; the outcome lands in `reads` under the returned id. */
  read(id: NodeId, key: string): string {
    const readId = `r${this.nextReadId++}`;
    this.reads.set(readId, { node: id, key });
    this.node(id).requestRead(readId);
    this.drive(id);
    return readId;
  }

  /** Put through the current leader and wait for it to be applied there. */
  put(key: string, value: Json, maxMs = 5_000): number {
    const leader = this.waitForLeader(this.ids, maxMs);
    const r = this.propose(leader, { op: 'put', key, value });
    if (!r.ok) throw new Error('leader refused');
    if (!this.runUntil(() => (this.nodes.get(leader)?.status().appliedIndex ?? 0) >= r.index, maxMs)) {
      throw new Error(`put ${key} not committed`);
    }
    return r.index;
  }

  // ---- mechanics ----------------------------------------------------------

  private start(id: NodeId): void {
    const disk = this.disks.get(id)!;
    const kv = new KvState();
    if (disk.snapshot) kv.restore(disk.snapshot.data, disk.snapshot.meta.index);
    this.kvs.set(id, kv);
    const node = new RaftNode(
      {
        id,
        members: this.ids,
        electionTimeout: this.opts.electionTimeout,
        heartbeatInterval: this.opts.heartbeatInterval,
        maxEntriesPerAppend: this.opts.maxEntriesPerAppend,
        random: this.rng,
        bugs: new Set(this.opts.bugs),
        mutants: new Set(this.opts.mutants),
      },
      structuredClone({ hardState: disk.hardState, snapshot: disk.snapshot, entries: disk.entries }),
    );
    this.nodes.set(id, node);
    node.tick(this.clockOf(id));
  }

  /** Step a node's clock by `deltaMs` (negative: back), as a clock bump does. */
  jumpClock(id: NodeId, deltaMs: number): void {
    this.clocks.set(id, this.clockOf(id) + deltaMs);
  }

  private clockOf(id: NodeId): number {
    return this.clocks.get(id) ?? this.now;
  }

  private step(): void {
    this.now += 1;
    for (const id of this.ids) this.clocks.set(id, this.clockOf(id) + (this.clockRate.get(id) ?? 1));
    const isDue = (f: { at: number; msg: Message }) => f.at <= this.now && !this.paused.has(f.msg.to);
    const due = this.inflight.filter(isDue);
    this.inflight = this.inflight.filter((f) => !isDue(f));
    for (const { msg } of due) {
      const node = this.nodes.get(msg.to);
      if (!node) continue;
      this.delivered++;
      node.receive(msg);
      this.drive(msg.to);
    }
    for (const [id, node] of this.nodes) {
      if (!node || this.paused.has(id)) continue;
      node.tick(this.clockOf(id));
      this.drive(id);
    }
    this.checkLeaders();
  }

  private drive(id: NodeId): void {
    const node = this.nodes.get(id);
    while (node?.hasReady()) this.handle(id, node, node.ready());
  }

  /** What a real host does with a Ready: persist, send, apply, serve reads, compact. */
  private handle(id: NodeId, node: RaftNode, rd: Ready): void {
    const disk = this.disks.get(id)!;
    const kv = this.kvs.get(id)!;
    if (rd.hardState) disk.hardState = structuredClone(rd.hardState);
    if (rd.snapshot) {
      disk.snapshot = structuredClone(rd.snapshot);
      disk.entries = structuredClone(rd.entries);
    } else if (rd.entries.length > 0) {
      const from = rd.entries[0].index;
      disk.entries = disk.entries.filter((e) => e.index < from).concat(structuredClone(rd.entries));
    }
    for (const msg of rd.messages) this.transmit(msg);
    for (const a of rd.mutantActs) this.mutantActs.set(a.mutant, (this.mutantActs.get(a.mutant) ?? 0) + 1);
    if (rd.snapshot) kv.restore(rd.snapshot.data, rd.snapshot.meta.index);
    if (rd.rollback) kv.rollBack(rd.rollback.data, rd.rollback.meta.index);
    for (const e of rd.committed) {
      kv.apply(e.index, e.command);
      this.checkApplied(id, e);
    }
    for (const f of rd.failedReads) Object.assign(this.reads.get(f.id)!, { failed: true, at: this.now });
    const waiting = [...(this.readsWaiting.get(id) ?? []), ...rd.reads];
    this.readsWaiting.set(id, waiting.filter((r) => !this.serveRead(kv, r)));
    const every = this.opts.snapshotEvery;
    if (every > 0 && kv.applied - node.status().snapshotIndex >= every) {
      const snap = node.compact(kv.applied, kv.serialize());
      if (snap) {
        disk.snapshot = structuredClone(snap);
        disk.entries = disk.entries.filter((e) => e.index > snap.meta.index);
      }
    }
  }

  private serveRead(kv: KvState, r: { id: string; index: number }): boolean {
    if (kv.applied < r.index) return false;
    const outcome = this.reads.get(r.id)!;
    outcome.value = kv.get(outcome.key) ?? null;
    outcome.index = r.index;
    outcome.at = this.now;
    return true;
  }

  private transmit(msg: Message): void {
    if (this.blocked.has(`${msg.from}>${msg.to}`)) return;
    const m = this.filter ? this.filter(msg) : msg;
    if (!m) return;
    const [lo, hi] = this.opts.latency;
    this.inflight.push({ at: this.now + lo + Math.floor(this.rng() * (hi - lo + 1)), msg: structuredClone(m) });
  }

  private checkApplied(id: NodeId, e: Entry): void {
    const entry = `${e.index}:${e.term}`;
    if (!this.firstApplied.has(entry)) this.firstApplied.set(entry, this.now);
    const seen = this.appliedAt.get(e.index);
    if (!seen) this.appliedAt.set(e.index, { term: e.term, node: id });
    else if (seen.term !== e.term) {
      this.violations.push(`index ${e.index}: ${seen.node} applied term ${seen.term}, ${id} applied term ${e.term}`);
    }
  }

  private checkLeaders(): void {
    for (const [id, n] of this.nodes) {
      const s = n?.status();
      if (s?.role !== 'leader') continue;
      const other = this.leadersByTerm.get(s.term);
      if (other === undefined) this.leadersByTerm.set(s.term, id);
      else if (other !== id) this.violations.push(`term ${s.term}: two leaders ${other} and ${id}`);
    }
  }
}
