// The lock workload against etcd's v3 lock API (the concurrency/v3lock
// service, over the HTTP gateway), the way Jepsen tested it:
//   acquire = lease/grant (TTL), keep the lease alive in the background,
//             then lock/lock {name, lease} (blocks until the lock is ours);
//   release = lock/unlock {key} and lease/revoke.
// A lock is only as good as its lease: when keepalives stop reaching the
// cluster (the client's member paused or cut off), the lease expires, etcd
// deletes the lock key and hands the lock to the next waiter, while this
// client still believes it holds it. That is the anomaly the mutex model
// catches. The client does not react to a failed keepalive, like any client
// that cannot check its lease between two of its own instructions.
import { b64, etcdPost } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { EtcdClient, type EtcdClientOptions } from '../etcd/client-base.ts';
import { errorText } from '../etcd/outcome.ts';

export interface EtcdLockClientOptions extends EtcdClientOptions {
  /** Lock name shared by every client. */
  lockName: string;
  /** Lease TTL, seconds (etcd raises it to its minimum, 1.5 x election timeout). */
  leaseTtlS: number;
}

export class EtcdLockClient extends EtcdClient {
  private lease?: string;
  /** The lock's owner key while this client believes it holds the lock. */
  private ownerKey?: string;
  private keepalive?: NodeJS.Timeout;

  constructor(private readonly lockOpts: EtcdLockClientOptions) {
    super(lockOpts);
  }

  protected isReadOnly(): boolean {
    return false;
  }

  protected async apply(op: Op): Promise<Completion> {
    switch (op.f) {
      case 'acquire': {
        if (this.ownerKey) return { type: 'fail', error: 'this client already holds the lock' };
        try {
          await this.newLease();
        } catch (err) {
          // No lease, so no lock request was sent: the acquire did not happen.
          return { type: 'fail', error: `lease/grant: ${errorText(err)}` };
        }
        const r = await this.post<{ key?: string }>('lock/lock', { name: b64(this.lockOpts.lockName), lease: this.lease });
        if (!r.key) throw new Error('lock/lock answered without an owner key');
        this.ownerKey = r.key;
        return { type: 'ok' };
      }
      case 'release': {
        // Not held (the acquire failed): nothing is sent, so nothing happened.
        if (!this.ownerKey) return { type: 'fail', error: 'not held by this client' };
        const key = this.ownerKey;
        this.ownerKey = undefined;
        await this.post('lock/unlock', { key });
        await this.dropLease();
        return { type: 'ok' };
      }
      default:
        return { type: 'fail', error: `lock: unknown f ${op.f}` };
    }
  }

  private async newLease(): Promise<void> {
    await this.dropLease();
    const r = await this.post<{ ID?: string }>('lease/grant', { TTL: String(this.lockOpts.leaseTtlS) });
    if (!r.ID) throw new Error('lease/grant answered without an ID');
    const id = r.ID;
    this.lease = id;
    const every = Math.max(200, Math.round((this.lockOpts.leaseTtlS * 1000) / 3));
    const endpoint = this.endpoint;
    let inFlight = false;
    this.keepalive = setInterval(() => {
      // Best effort, one at a time: a hung member just lets the lease run out.
      if (inFlight) return;
      inFlight = true;
      etcdPost(endpoint, 'lease/keepalive', { ID: id }, every)
        .catch(() => undefined)
        .finally(() => (inFlight = false));
    }, every);
    this.keepalive.unref();
  }

  private async dropLease(): Promise<void> {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = undefined;
    const id = this.lease;
    this.lease = undefined;
    if (id) await this.post('lease/revoke', { ID: id }).catch(() => undefined);
  }

  override async close(): Promise<void> {
    // Stop the keepalives; revoking frees the lock (or our place in its queue) at once.
    this.ownerKey = undefined;
    await this.dropLease();
  }
}
