// One Raft KV node: the host loop around the pure core. It feeds the core
// time, peer messages and client requests, and carries out each Ready in the
// order safety needs: persist (fsync), then send, then apply and answer.
// Clients get one of three outcomes, mirroring Jepsen's:
//   ok            it happened
//   fail          it definitely did not (not the leader, cas mismatch, lost to another entry)
//   info          unknown (timed out waiting for commit: it may still happen)
import * as http from 'node:http';
import type { BugName, Bugs } from './bugs.ts';
import { mutantActLine, type Mutants } from './mutants.ts';
import { KvState, type Json, type KvCommand, type KvResult, type MicroOp } from './kv-state.ts';
import { RaftNode, type RaftStatus, type Ready } from './raft/node.ts';
import { eventLine } from './raft/events.ts';
import { appliedLines, appliedSnapshotLine } from './raft/applied.ts';
import type { Message, NodeId } from './raft/messages.ts';
import { Storage } from './storage.ts';
import { PeerTransport, type DelaySpec } from './transport.ts';
import type { Failpoint } from './failpoints.ts';
import { serveClientApi } from './client-api.ts';
import type { KvNode, Outcome, ReadAnswer, ServerStatus } from './api.ts';
import { listen, readJson, sendJson } from './http.ts';

export interface ServerConfig {
  id: NodeId;
  /** Every member's peer URL (this node's included: its port is where /raft listens). */
  peers: ReadonlyMap<NodeId, string>;
  /** Address both listeners bind to. */
  host: string;
  clientPort: number;
  dataDir: string;
  bugs: Bugs;
  /** The mutation suite's planted bugs (mutants.ts). */
  mutants: Mutants;
  /** Compact the log once this many entries were applied past the last snapshot. */
  snapshotEvery: number;
  electionTimeout: number;
  heartbeatInterval: number;
  /** Default client request timeout, ms. */
  requestTimeout: number;
  /** Most log entries in one AppendEntries message. */
  maxEntriesPerAppend: number;
  log: (line: string) => void;
}

const TICK_MS = 10;
/** apply-index-race: how often the applied state is written (the index is written at every apply). */
const STATE_DUMP_MS = 500;

const timedOut: Outcome = { ok: false, outcome: 'info', error: 'timeout' };

export class RaftKvServer implements KvNode {
  private readonly node: RaftNode;
  private readonly kv = new KvState();
  private readonly storage: Storage;
  private readonly transport: PeerTransport;
  private readonly servers: http.Server[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  /** Proposals awaiting apply, by log index. */
  private readonly proposals = new Map<number, { term: number; settle: (o: Outcome) => void }>();
  /** Reads awaiting the leader's confirmation, by read id. */
  private readonly reads = new Map<string, { index?: number; settle: (index: number | null, leader: NodeId | null) => void }>();
  private readonly appliedWaiters = new Set<{ index: number; wake: () => void }>();
  private nextReadId = 0;
  private readonly failpoints = new Set<Failpoint>();
  private driveScheduled = false;
  private lastShown = '';

  private constructor(readonly config: ServerConfig) {
    this.storage = new Storage(config.dataDir, config.bugs, config.mutants);
    const recovered = this.storage.load();
    // mutant term-not-restored: the vote comes back from disk, the term does not (a restart begins at term 0).
    const hardState = recovered.hardState && config.mutants.has('term-not-restored') ? { ...recovered.hardState, term: 0 } : recovered.hardState;
    const actedAtStart = [...recovered.mutantsActed, ...(hardState !== recovered.hardState && recovered.hardState!.term > 0 ? ['term-not-restored' as const] : [])];
    let applied: number | undefined;
    if (recovered.appliedState) {
      this.kv.restore(recovered.appliedState.image, recovered.appliedState.index);
      applied = recovered.appliedState.index;
    } else if (recovered.snapshot) {
      this.kv.restore(recovered.snapshot.data, recovered.snapshot.meta.index);
    }
    this.node = new RaftNode(
      {
        id: config.id,
        members: [...config.peers.keys()],
        electionTimeout: config.electionTimeout,
        heartbeatInterval: config.heartbeatInterval,
        maxEntriesPerAppend: config.maxEntriesPerAppend,
        bugs: config.bugs,
        mutants: config.mutants,
      },
      { hardState, snapshot: recovered.snapshot, entries: recovered.entries, applied, forgottenVote: recovered.forgottenVote },
    );
    const others = new Map([...config.peers].filter(([id]) => id !== config.id));
    this.transport = new PeerTransport(others);
    config.log(
      `start: term ${recovered.hardState?.term ?? 0}, snapshot ${recovered.snapshot?.meta.index ?? 0}, ` +
        `${recovered.entries.length} log entries, applied ${this.kv.applied}, bugs [${[...config.bugs].join(' ')}]` +
        (config.mutants.size ? `, mutants [${[...config.mutants].join(' ')}]` : ''),
    );
    for (const mutant of actedAtStart) config.log(mutantActLine({ mutant, term: recovered.hardState?.term ?? 0 }));
  }

  static async start(config: ServerConfig): Promise<RaftKvServer> {
    const server = new RaftKvServer(config);
    await server.listen();
    server.node.tick(Date.now());
    server.timers.push(setInterval(() => server.tick(), TICK_MS));
    if (config.bugs.has('apply-index-race')) {
      server.timers.push(setInterval(() => server.storage.saveAppliedState({ data: server.kv.entries() }), STATE_DUMP_MS));
    }
    return server;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.transport.close();
    await Promise.all(
      this.servers.map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))),
    );
    this.storage.close();
  }

  // ---- operations the client API calls -----------------------------------

  /** Replicate a command and answer with its applied result. */
  async write(command: KvCommand, timeoutMs: number): Promise<Outcome> {
    const proposed = this.node.propose(command);
    if (!proposed.ok) return { ok: false, outcome: 'fail', error: 'not-leader', leader: proposed.leader };
    this.scheduleDrive();
    return this.withDeadline(timeoutMs, (settle) => this.proposals.set(proposed.index, { term: proposed.term, settle }));
  }

  /** A linearizable read (ReadIndex), unless a read bug says otherwise; `serve` runs on the local state. */
  async read(serve: (kv: KvState) => ReadAnswer, timeoutMs: number): Promise<Outcome> {
    const answer = (): Outcome => ({ ok: true, index: this.kv.applied, ...serve(this.kv) });
    if (this.config.bugs.has('stale-read')) return answer();
    const id = `r${this.nextReadId++}`;
    this.node.requestRead(id);
    this.scheduleDrive();
    return this.withDeadline(timeoutMs, (settle) =>
      this.reads.set(id, {
        settle: (index, leader) => {
          this.reads.delete(id);
          if (index === null) settle({ ok: false, outcome: 'fail', error: 'not-leader', leader });
          else void this.whenApplied(index, timeoutMs).then((applied) => applied && settle(answer()));
        },
      }),
    );
  }

  /** State hash right after applying `index` (waits until applied); undefined if outside the window. */
  async hashAt(index: number, timeoutMs: number): Promise<{ index: number; hash: string } | 'timeout' | 'gone'> {
    if (!(await this.whenApplied(index, timeoutMs))) return 'timeout';
    const hash = this.kv.hashAt(index);
    return hash === undefined ? 'gone' : { index, hash };
  }

  status(): ServerStatus {
    return {
      ...this.node.status(),
      appliedIndex: this.kv.applied,
      hash: this.kv.hash(),
      bugs: [...this.config.bugs],
      mutants: [...this.config.mutants],
      time: Date.now(),
      delay: this.transport.getDelay(),
      delayedBatches: this.transport.delayedBatches,
    };
  }

  /** Arm or disarm a failpoint (FAILPOINTS): a crash at a chosen point of the loop, as etcd's gofail failpoints do. */
  setFailpoint(name: Failpoint, armed: boolean): void {
    if (armed) this.failpoints.add(name);
    else this.failpoints.delete(name);
    this.config.log(`failpoint ${name} ${armed ? 'armed' : 'disarmed'}`);
  }

  /** The nemesis's message delay fault (transport.ts): hold back some outgoing peer batches, or stop (null). */
  delayPeerMessages(delay: DelaySpec | null): void {
    this.transport.setDelay(delay);
    this.config.log(delay ? `delay fault: ${delay.probability * 100}% of peer batches held up to ${delay.maxMs} ms` : 'delay fault healed');
  }

  hashHistory(to: number): Array<[number, string]> {
    return this.kv.hashHistory(to);
  }

  keys(): { index: number; entries: [string, Json][] } {
    return { index: this.kv.applied, entries: this.kv.entries() };
  }

  // ---- the loop -------------------------------------------------------------

  private tick(): void {
    this.node.tick(Date.now());
    this.drive();
  }

  private receive(messages: Message[]): void {
    for (const m of messages) this.node.receive(m);
    this.scheduleDrive();
  }

  /** Coalesce: everything that arrived in this turn of the event loop shares one fsync. */
  private scheduleDrive(): void {
    if (this.driveScheduled) return;
    this.driveScheduled = true;
    setImmediate(() => {
      this.driveScheduled = false;
      this.drive();
    });
  }

  private drive(): void {
    while (this.node.hasReady()) this.handle(this.node.ready());
    this.showChanges();
  }

  private handle(rd: Ready): void {
    this.storage.save(rd); // durable before anyone hears about it
    // Coverage: one log line per event (the log file survives a SIGKILL; the harness counts them after the run).
    for (const e of rd.events) this.config.log(eventLine(e));
    for (const a of rd.mutantActs) this.config.log(mutantActLine(a));
    if (this.failpoints.has('crash-before-leader-send') && rd.messages.length > 0 && this.node.status().role === 'leader') {
      // etcd's raftBeforeLeaderSend=panic: what this leader persisted stays, nothing it meant to send leaves.
      // A crash, not a shutdown: nothing is flushed or closed on the way out.
      this.config.log('failpoint crash-before-leader-send: exiting before the first send as leader');
      process.kill(process.pid, 'SIGKILL');
      return;
    }
    this.transport.send(rd.messages);
    if (rd.snapshot) {
      this.kv.restore(rd.snapshot.data, rd.snapshot.meta.index);
      this.config.log(appliedSnapshotLine(rd.snapshot.meta));
    }
    if (rd.rollback) {
      this.kv.rollBack(rd.rollback.data, rd.rollback.meta.index);
      this.config.log(`unsafe-snapshot: state rolled back to snapshot ${rd.rollback.meta.index}, applied index kept at ${this.kv.applied}`);
    }
    for (const e of rd.committed) this.settleProposal(e.index, e.term, this.kv.apply(e.index, e.command));
    // State Machine Safety evidence: which entries this node applied (raft/applied.ts).
    for (const l of appliedLines(rd.committed)) this.config.log(l);
    if (rd.committed.length > 0 && this.config.bugs.has('apply-index-race')) this.storage.saveAppliedIndex(this.kv.applied);
    for (const r of rd.reads) this.reads.get(r.id)?.settle(r.index, null);
    for (const f of rd.failedReads) this.reads.get(f.id)?.settle(null, f.leader);
    for (const w of this.appliedWaiters) if (w.index <= this.kv.applied) w.wake();
    this.maybeCompact();
  }

  private settleProposal(index: number, term: number, result: KvResult): void {
    const p = this.proposals.get(index);
    if (!p) return;
    this.proposals.delete(index);
    if (p.term !== term) {
      // Another entry committed at our index: ours can never commit.
      p.settle({ ok: false, outcome: 'fail', error: 'superseded' });
    } else if (result.ok) {
      p.settle({ ok: true, index, value: result.value, ops: result.ops });
    } else {
      p.settle({ ok: false, outcome: 'fail', error: result.error, value: result.value, message: result.message });
    }
  }

  private maybeCompact(): void {
    const { snapshotIndex } = this.node.status();
    if (this.config.snapshotEvery <= 0 || this.kv.applied - snapshotIndex < this.config.snapshotEvery) return;
    const snapshot = this.node.compact(this.kv.applied, this.kv.serialize());
    if (snapshot) this.storage.saveSnapshot(snapshot, this.node.entries(snapshot.meta.index + 1));
  }

  /** Resolves true once `index` is applied here, false if `timeoutMs` passes first. */
  private whenApplied(index: number, timeoutMs: number): Promise<boolean> {
    if (this.kv.applied >= index) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (applied: boolean) => {
        clearTimeout(timer);
        this.appliedWaiters.delete(waiter);
        resolve(applied);
      };
      const waiter = { index, wake: () => done(true) };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.appliedWaiters.add(waiter);
    });
  }

  /** Run `register(settle)`; answer `info: timeout` if nothing settles within `ms`. */
  private withDeadline(ms: number, register: (settle: (o: Outcome) => void) => void): Promise<Outcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(timedOut), ms);
      register((o) => {
        clearTimeout(timer);
        resolve(o);
      });
    });
  }

  private showChanges(): void {
    const s = this.node.status();
    const shown = `${s.role} term ${s.term} leader ${s.leader ?? '-'}`;
    if (shown !== this.lastShown) this.config.log(`${shown} (commit ${s.commitIndex}, last ${s.lastIndex})`);
    this.lastShown = shown;
  }

  // ---- listeners ------------------------------------------------------------

  private async listen(): Promise<void> {
    const own = this.config.peers.get(this.config.id);
    if (!own) throw new Error(`--peers does not list this node (${this.config.id})`);
    const raft = http.createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/raft') return sendJson(res, 404, { error: 'not-found' });
      readJson(req)
        .then((body) => {
          this.receive(body as Message[]);
          res.writeHead(204).end();
        })
        .catch(() => sendJson(res, 400, { error: 'bad-json' }));
    });
    this.servers.push(raft, serveClientApi(this));
    await listen(raft, Number(new URL(own).port), this.config.host);
    await listen(this.servers[1], this.config.clientPort, this.config.host);
  }
}
