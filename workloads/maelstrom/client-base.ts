// What every Maelstrom workload client shares: the node it talks to (through
// the shim's POST /rpc), the request deadline, and turning answers and
// transport errors into completions (outcome.ts; transport errors as
// workloads/etcd/outcome.ts).
import { NodeClient } from '../node-client.ts';
import type { Completion } from '../../history/index.ts';
import type { MaelstromBody } from '../../clusters/index.ts';
import { REFUSED_BACKOFF_MS } from '../etcd/outcome.ts';
import { notDelivered, replyOrCompletion, type ShimAnswer } from './outcome.ts';
import { abortAfter } from '../../clusters/index.ts';

export interface MaelstromClientOptions {
  /** Shim URL per node (DockerClusterInfo.urls). */
  urls: Record<string, string>;
  /** Whole-op budget, ms. */
  timeoutMs: number;
}

/** Share of the budget the shim waits for a reply: it answers 504 before the HTTP request is given up. */
const SHIM_WAIT_SHARE = 0.9;

export abstract class MaelstromClient extends NodeClient {
  constructor(protected readonly opts: MaelstromClientOptions) {
    super(opts.urls);
  }

  /** Send one request body to this client's node: the shim's answer (throws on transport errors). */
  protected async send(body: MaelstromBody): Promise<ShimAnswer> {
    const res = await fetch(`${this.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body, timeoutMs: Math.max(1, Math.floor(this.opts.timeoutMs * SHIM_WAIT_SHARE)) }),
      signal: abortAfter(this.opts.timeoutMs),
    });
    const answer: ShimAnswer = { status: res.status, ...((await res.json()) as { body?: MaelstromBody; error?: string }) };
    // A node that is down refuses at once: pause as for a refused connection, so a kill does not flood the history.
    if (notDelivered(answer)) await new Promise((r) => setTimeout(r, REFUSED_BACKOFF_MS));
    return answer;
  }

  /** The completion of an answer: a reply of type `expect` goes to onOk. */
  protected settle(answer: ShimAnswer, expect: string, readOnly: boolean, onOk: (reply: MaelstromBody) => Completion): Completion {
    const outcome = replyOrCompletion(answer, expect, readOnly);
    return 'reply' in outcome ? onOk(outcome.reply) : outcome.completion;
  }
}
