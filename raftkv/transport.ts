// Peer transport: Raft messages as JSON over HTTP (POST <peer>/raft, body =
// an array of messages). A few requests in flight per peer, each carrying
// whatever queued meanwhile, so a reply never waits behind a slow batch
// (Raft tolerates the reordering this allows). Delivery is best
// effort, as Raft expects: a failed or timed-out batch is dropped (the leader
// retransmits on its next heartbeat), and a peer that is down gets a short
// back-off instead of a busy loop of refused connections.
//
// A message delay fault lives here too (setDelay): tc netem cannot run on
// this kernel, so the nemesis asks the node to hold back some of its outgoing
// batches. A held batch leaves the queue at once and no longer counts as in
// flight, so later batches overtake it: delay and reordering, as a slow or
// retransmitting link gives them, on this node's sends only.
import type { Message, NodeId } from './raft/messages.ts';

export interface TransportOptions {
  /** Give up on a batch after this long (a partitioned peer hangs rather than refuses). */
  timeoutMs: number;
  /** Queue bound per peer; the oldest messages go first (they are the stalest). */
  maxQueue: number;
  /** Pause after a failed batch. */
  backoffMs: number;
  /** Concurrent requests per peer. */
  maxInFlight: number;
  /** Draws for the delay fault (which batches, how long); tests fix it. */
  random: () => number;
}

/** Outgoing delay fault: each batch is held back with `probability` for a uniform 0..maxMs. */
export interface DelaySpec {
  probability: number;
  maxMs: number;
}

const DEFAULTS: TransportOptions = { timeoutMs: 1_000, maxQueue: 1_000, backoffMs: 50, maxInFlight: 4, random: Math.random };

interface PeerQueue {
  url: string;
  queue: Message[];
  inFlight: number;
}

export class PeerTransport {
  private readonly peers = new Map<NodeId, PeerQueue>();
  private readonly options: TransportOptions;
  private closed = false;
  private delay: DelaySpec | null = null;
  /** Batches held back by the delay fault so far: what shows from outside that the fault works. */
  delayedBatches = 0;

  constructor(peerUrls: ReadonlyMap<NodeId, string>, options: Partial<TransportOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    for (const [id, url] of peerUrls) this.peers.set(id, { url: `${url.replace(/\/$/, '')}/raft`, queue: [], inFlight: 0 });
  }

  send(messages: readonly Message[]): void {
    for (const m of messages) {
      const peer = this.peers.get(m.to);
      if (!peer) continue;
      peer.queue.push(m);
      if (peer.queue.length > this.options.maxQueue) peer.queue.splice(0, peer.queue.length - this.options.maxQueue);
    }
    for (const peer of this.peers.values()) this.pump(peer);
  }

  close(): void {
    this.closed = true;
  }

  /** Start (or with null, end) holding back outgoing batches. Batches already held still go at their time. */
  setDelay(delay: DelaySpec | null): void {
    this.delay = delay && delay.probability > 0 && delay.maxMs > 0 ? delay : null;
  }

  getDelay(): DelaySpec | null {
    return this.delay;
  }

  private pump(peer: PeerQueue): void {
    if (peer.inFlight >= this.options.maxInFlight || peer.queue.length === 0 || this.closed) return;
    const batch = peer.queue;
    peer.queue = [];
    if (this.delay && this.options.random() < this.delay.probability) {
      this.delayedBatches += 1;
      setTimeout(() => this.post(peer, batch, false), this.options.random() * this.delay.maxMs).unref();
      return;
    }
    this.post(peer, batch, true);
  }

  /** POST one batch; `counted` batches hold an in-flight slot and pump the queue when done. */
  private post(peer: PeerQueue, batch: Message[], counted: boolean): void {
    if (this.closed) return;
    if (counted) peer.inFlight += 1;
    fetch(peer.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(Math.max(1, Math.ceil(this.options.timeoutMs))),
    })
      .then(async (res) => {
        await res.arrayBuffer(); // drain, so the connection is reused
        return res.ok;
      })
      .catch(() => false)
      .then((ok) => {
        if (!counted) return;
        const next = () => {
          peer.inFlight -= 1;
          this.pump(peer);
        };
        if (ok) next();
        else setTimeout(next, this.options.backoffMs).unref();
      });
  }
}
