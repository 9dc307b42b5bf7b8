// An etcd client whose ops are guarded read-modify-writes (guarded-txn.ts)
// and prefix snapshots: the shared plumbing of the set, bank, counter,
// append and wr-register clients.
import type { KeyValue } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import { EtcdClient, type EtcdClientOptions } from './client-base.ts';
import { guardedReadModifyWrite, readPrefix, type EtcdPost, type Plan } from './guarded-txn.ts';

export interface RmwClientOptions extends EtcdClientOptions {
  /** Guarded write attempts per op. Default 5. */
  maxAttempts?: number;
  /** Broken on purpose: writes without the guard lose concurrent updates (to show a checker catches it). */
  unsafeSkipGuard?: boolean;
}

export abstract class RmwEtcdClient extends EtcdClient {
  constructor(protected readonly rmw: RmwClientOptions) {
    super(rmw);
  }

  private readonly postFn: EtcdPost = (path, body) => this.post(path, body);

  protected readModifyWrite<R>(keys: readonly string[], plan: (snapshot: ReadonlyMap<string, KeyValue>) => Plan<R>): Promise<Completion> {
    return guardedReadModifyWrite(this.postFn, keys, plan, {
      maxAttempts: this.rmw.maxAttempts ?? 5,
      serializable: this.serializable,
      // Leave room for the last attempt inside the run loop's op timeout.
      retryWindowMs: this.rmw.timeoutMs / 2,
      ...(this.rmw.unsafeSkipGuard ? { unsafeSkipGuard: true } : {}),
    });
  }

  protected readPrefix(prefix: string, keysOnly = false): Promise<KeyValue[]> {
    return readPrefix(this.postFn, prefix, { serializable: this.serializable, keysOnly });
  }
}
