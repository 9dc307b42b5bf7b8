// One watch stream over the v3 gateway: POST /v3/watch with a create
// request, then read newline-delimited JSON responses as they come. The
// stream buffers what it decodes; the client takes it out per op. It ends
// (with a reason) on a transport error, a server close, `idleMs` without a
// line, or `maxAgeMs` (so watchers also move between members on their own).
import type { WatchItem } from '../../checkers/index.ts';
import { decodeWatchResponse, type RawWatchResponse } from './decode.ts';

export interface StreamOptions {
  endpoint: string;
  /** etcd's WatchCreateRequest, keys already base64. */
  create: Record<string, unknown>;
  /** Time allowed for the response headers. */
  connectMs: number;
  idleMs: number;
  maxAgeMs: number;
}

export class WatchStream {
  private readonly buffer: WatchItem[] = [];
  private readonly abort = new AbortController();
  private wake?: () => void;
  /** Why the stream ended; undefined while it runs. */
  ended?: string;

  /** Resolves once the server answered (headers); rejects if it did not. */
  static async open(o: StreamOptions): Promise<WatchStream> {
    const s = new WatchStream();
    const connect = setTimeout(() => s.abort.abort(new Error(`no answer in ${o.connectMs} ms`)), o.connectMs);
    try {
      const res = await fetch(`${o.endpoint}/v3/watch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ create_request: o.create }),
        signal: s.abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`watch: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
      void s.read(res.body, o);
      return s;
    } finally {
      clearTimeout(connect);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, o: StreamOptions): Promise<void> {
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => this.stop(`no response in ${o.idleMs} ms`), o.idleMs);
    };
    const age = setTimeout(() => this.stop(`rotated after ${o.maxAgeMs} ms`), o.maxAgeMs);
    arm();
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of body) {
        arm();
        pending += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) this.line(line);
        }
      }
      this.stop('server closed the stream');
    } catch (e) {
      this.stop(this.abort.signal.aborted ? String((this.abort.signal.reason as Error)?.message ?? 'aborted') : `stream broke: ${(e as Error).message}`);
    } finally {
      clearTimeout(idle);
      clearTimeout(age);
    }
  }

  private line(line: string): void {
    const msg = JSON.parse(line) as { result?: RawWatchResponse; error?: { message?: string } };
    if (msg.error) return this.stop(`watch error: ${msg.error.message ?? 'unknown'}`);
    const item = msg.result && decodeWatchResponse(msg.result);
    if (!item) return;
    this.buffer.push(item);
    if (item.kind === 'canceled') this.stop(`canceled: ${item.reason}`);
    this.wake?.();
  }

  /** Ends the stream (idempotent); the first reason sticks. */
  stop(reason: string): void {
    this.ended ??= reason;
    if (!this.abort.signal.aborted) this.abort.abort(new Error(reason));
    this.wake?.();
  }

  /** Everything delivered so far, waiting up to `waitMs` for the first item. */
  async take(waitMs: number): Promise<WatchItem[]> {
    if (!this.buffer.length && this.ended === undefined) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.buffer.splice(0);
  }
}
