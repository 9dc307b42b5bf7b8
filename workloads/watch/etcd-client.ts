// The watch workload against etcd's v3 gateway. A writer's ops are one
// kv/put, one kv/txn of puts (one revision) or one kv/deleterange, recorded
// with the revision they produced. A watcher keeps one stream (stream.ts)
// across its ops: each `watch` op returns what arrived since the last one.
// When the stream ends (member killed or cut off, idle, rotated) the next op
// resumes on the next member from the last delivered revision + 1 and
// records the restart, so the checker sees every resume. A watch op never
// ends `info`: that would replace the client and lose the watcher's place.
import { b64 } from '../../clusters/index.ts';
import type { Completion, Op } from '../../history/index.ts';
import type { WatchInvoke, WatchItem, WatchResult, WriteResult, WriteValue } from '../../checkers/index.ts';
import { EtcdClient, type EtcdClientOptions } from '../etcd/client-base.ts';
import { errorText } from '../etcd/outcome.ts';
import { WatchStream } from './stream.ts';

export interface WatchLimits {
  /** How long one watch op waits for the first response, ms. */
  pollMs: number;
  idleMs: number;
  maxAgeMs: number;
  /** Events one watcher records before it stops watching (bounds the history). */
  maxEvents: number;
}

export const DEFAULT_WATCH_LIMITS: WatchLimits = { pollMs: 1000, idleMs: 3000, maxAgeMs: 8000, maxEvents: 50_000 };

interface Header {
  header: { revision: string };
}

export class EtcdWatchClient extends EtcdClient {
  private stream?: WatchStream;
  private nodeIndex = -1;
  /** Next revision to watch from; undefined before the first stream. */
  private next?: number;
  private events = 0;
  private lastEnd?: string;
  private attempted = false;

  constructor(
    opts: EtcdClientOptions,
    private readonly limits: WatchLimits = DEFAULT_WATCH_LIMITS,
  ) {
    super(opts);
  }

  override async open(node: string): Promise<void> {
    await super.open(node);
    this.nodeIndex = Object.keys(this.opts.urls).indexOf(node);
  }

  protected isReadOnly(op: Op): boolean {
    return op.f === 'watch';
  }

  protected async apply(op: Op): Promise<Completion> {
    if (op.f === 'watch') return this.watch(op.value as WatchInvoke);
    const v = op.value as WriteValue;
    if (op.f === 'delete') {
      const r = await this.post<Header & { deleted?: string }>('kv/deleterange', { key: b64(v.delete!) });
      return { type: 'ok', value: { revision: Number(r.header.revision), deleted: Number(r.deleted ?? 0) } satisfies WriteResult };
    }
    if (op.f === 'put' || op.f === 'txn') {
      const puts = v.puts ?? [];
      const r =
        op.f === 'put'
          ? await this.post<Header>('kv/put', { key: b64(puts[0].key), value: b64(puts[0].value) })
          : await this.post<Header>('kv/txn', { success: puts.map((p) => ({ request_put: { key: b64(p.key), value: b64(p.value) } })) });
      return { type: 'ok', value: { revision: Number(r.header.revision) } satisfies WriteResult };
    }
    return { type: 'fail', error: `watch: unknown f ${op.f}` };
  }

  private async watch(w: WatchInvoke): Promise<Completion> {
    const items: WatchItem[] = [];
    if (this.events >= this.limits.maxEvents) return { type: 'ok', value: { items } satisfies WatchResult };
    if (!this.stream || this.stream.ended !== undefined) {
      if (this.stream) this.lastEnd = this.stream.ended;
      this.stream = undefined;
      try {
        items.push(await this.resume(w));
      } catch (err) {
        // Nothing delivered: a definite fail, and the watcher keeps its place.
        return { type: 'fail', error: `watch on ${this.endpoint}: ${errorText(err)}` };
      }
    }
    for (const item of await this.stream!.take(this.limits.pollMs)) {
      items.push(item);
      if (item.kind === 'events') {
        this.events += item.events.length;
        // Resume after the last delivered revision (a txn's events share one).
        this.next = Math.max(this.next ?? 0, ...item.events.map((e) => e.mod + 1));
      }
      if (item.kind === 'canceled' && item.compactRevision) this.next = item.compactRevision;
    }
    if (this.events >= this.limits.maxEvents) this.stream?.stop('event cap reached');
    return { type: 'ok', value: { items } satisfies WatchResult };
  }

  /** Starts a stream on the next member (the worker's own at first). */
  private async resume(w: WatchInvoke): Promise<WatchItem> {
    const nodes = Object.keys(this.opts.urls);
    const first = this.next === undefined;
    // Every later attempt goes to the next member: the last one failed or broke.
    if (this.attempted) this.nodeIndex = (this.nodeIndex + 1) % nodes.length;
    this.attempted = true;
    const node = nodes[this.nodeIndex];
    this.endpoint = this.opts.urls[node];
    const o = w.options;
    if (first && o.start === 'current') {
      const r = await this.post<Header>('kv/range', { key: b64(o.key), range_end: b64(o.rangeEnd), count_only: true });
      this.next = Number(r.header.revision);
    }
    const from = this.next ?? 1;
    this.stream = await WatchStream.open({
      endpoint: this.endpoint,
      create: {
        key: b64(o.key),
        range_end: b64(o.rangeEnd),
        start_revision: String(from),
        ...(o.prevKv ? { prev_kv: true } : {}),
        ...(o.filters?.length ? { filters: o.filters } : {}),
        ...(o.progressNotify ? { progress_notify: true } : {}),
      },
      connectMs: Math.min(2000, this.opts.timeoutMs / 3),
      idleMs: this.limits.idleMs,
      maxAgeMs: this.limits.maxAgeMs,
    });
    this.next = from;
    return { kind: 'start', from, node, ...(this.lastEnd ? { reason: this.lastEnd } : {}) };
  }

  override async close(): Promise<void> {
    this.stream?.stop('client closed');
  }
}
