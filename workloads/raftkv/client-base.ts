// What every raftkv workload client shares: the node it talks to, following
// not-leader answers to the leader, the request deadline, and turning the
// server's answers and transport errors into completions.
//
// The server says itself whether a failure is definite: `outcome: 'fail'`
// (never proposed, cas mismatch, superseded, insufficient funds ...) or
// `outcome: 'info'` (timed out waiting for commit: it may still happen).
// Transport errors follow workloads/etcd/outcome.ts: a read changes nothing,
// so any read error is a fail; connection refused means never sent, a fail;
// anything else (timeout, reset) may have been applied: info.
import { NodeClient } from '../node-client.ts';
import type { Completion } from '../../history/index.ts';
import { followRedirects } from '../leader-redirect.ts';
import { abortAfter } from '../../clusters/index.ts';

export interface RaftkvClientOptions {
  /** Client URL per node (DockerClusterInfo.urls); raftkv member ids are the node names. */
  urls: Record<string, string>;
  /** Whole-op budget, ms: the client gives up (info, or fail for reads) a little before it. */
  timeoutMs: number;
}

/** A server answer, as raftkv/server.ts Outcome sends it. */
export type RaftkvAnswer =
  | { ok: true; index: number; value?: unknown; ops?: unknown[] }
  | { ok: false; outcome: 'fail' | 'info'; error: string; leader?: string | null; value?: unknown; message?: string };

export abstract class RaftkvClient extends NodeClient {
  constructor(protected readonly opts: RaftkvClientOptions) {
    super(opts.urls);
  }

  /**
   * POST /kv/<path> to this client's node; a definite not-leader answer is
   * retried, at the leader it names or, while an election names none, after
   * a pause (it was never proposed, so this is safe; the op's invoke and
   * completion still bound every attempt). The server's own timeout is set inside the client's deadline, so a
   * commit that is merely slow comes back as the server's `info: timeout`.
   */
  protected async call(path: string, body: Record<string, unknown>): Promise<RaftkvAnswer> {
    const { urls, timeoutMs } = this.opts;
    return followRedirects({ node: this.node, timeoutMs, isNode: (n) => Boolean(urls[n]) }, async (node, leftMs) => {
      const res = await fetch(`${urls[node]}/kv/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, timeoutMs: Math.max(50, Math.floor(leftMs * 0.8)) }),
        signal: abortAfter(leftMs),
      });
      const answer = (await res.json()) as RaftkvAnswer;
      return { answer, redirectTo: !answer.ok && answer.error === 'not-leader' ? (answer.leader ?? null) : undefined };
    });
  }

  /** The completion for a server answer; `onOk` builds the ok one. Reads never end info: they changed nothing. */
  protected settle(answer: RaftkvAnswer, readOnly: boolean, onOk: (a: Extract<RaftkvAnswer, { ok: true }>) => Completion): Completion {
    if (answer.ok) return onOk(answer);
    const error = answer.message ? `${answer.error}: ${answer.message}` : answer.error;
    return { type: answer.outcome === 'info' && !readOnly ? 'info' : 'fail', error };
  }
}
