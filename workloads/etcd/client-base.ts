// What every etcd workload client shares: the node it talks to, the request
// timeout, the read mode, and turning errors into fail/info completions.
import { etcdPost } from '../../clusters/index.ts';
import type { Client } from '../workload.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { completionAfterError } from './outcome.ts';

export type ReadMode = 'linearizable' | 'serializable';

export interface EtcdClientOptions {
  urls: Record<string, string>;
  timeoutMs: number;
  readMode: ReadMode;
}

export abstract class EtcdClient implements Client {
  protected endpoint = '';

  constructor(protected readonly opts: EtcdClientOptions) {}

  async open(node: string): Promise<void> {
    const url = this.opts.urls[node];
    if (!url) throw new Error(`no client URL for node ${node}`);
    this.endpoint = url;
  }

  async close(): Promise<void> {}

  protected post<T>(path: string, body: unknown): Promise<T> {
    return etcdPost<T>(this.endpoint, path, body, this.opts.timeoutMs);
  }

  protected get serializable(): boolean {
    return this.opts.readMode === 'serializable';
  }

  async invoke(op: Op): Promise<Completion> {
    try {
      return await this.apply(op);
    } catch (err) {
      return completionAfterError(err, { readOnly: this.isReadOnly(op) });
    }
  }

  /** Perform the op; throw on transport or server errors. */
  protected abstract apply(op: Op): Promise<Completion>;

  protected abstract isReadOnly(op: Op): boolean;
}
