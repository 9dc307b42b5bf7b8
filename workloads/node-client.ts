// The frame every HTTP workload client shares: open binds the worker's node
// (its URL must exist), close has nothing to release, and invoke maps any
// transport error to fail or info (etcd/outcome.ts: reads never end info).
// A client says how one op is done (apply) and whether it only reads.
import type { Client } from './workload.ts';
import type { Completion, Op } from '../history/index.ts';
import { completionAfterError } from './etcd/outcome.ts';

export abstract class NodeClient implements Client {
  /** The node this client talks to, and its URL. */
  protected node = '';
  protected url = '';

  constructor(private readonly nodeUrls: Record<string, string>) {}

  async open(node: string): Promise<void> {
    const url = this.nodeUrls[node];
    if (!url) throw new Error(`no client URL for node ${node}`);
    this.node = node;
    this.url = url;
  }

  async close(): Promise<void> {}

  async invoke(op: Op): Promise<Completion> {
    const readOnly = this.isReadOnly(op);
    try {
      return await this.apply(op, readOnly);
    } catch (err) {
      return completionAfterError(err, { readOnly });
    }
  }

  /** Perform the op; transport errors may be thrown. */
  protected abstract apply(op: Op, readOnly: boolean): Promise<Completion>;

  protected abstract isReadOnly(op: Op): boolean;
}
