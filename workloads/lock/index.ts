// The lock workload: clients take turns holding one etcd lock (v3 lock API
// with a kept-alive lease), checked for linearizability against the mutex
// model: no acquire may succeed while another holder has not yet released.
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { lockGenerator, type LockGeneratorOptions } from './generator.ts';

export { lockGenerator, type LockGeneratorOptions } from './generator.ts';
export { EtcdLockClient, type EtcdLockClientOptions } from './etcd-client.ts';

export interface LockWorkloadOptions extends LockGeneratorOptions {
  /** Lease TTL, seconds; default 2 (etcd's minimum with a 1 s election timeout). */
  leaseTtlS?: number;
  lockName?: string;
  checkTimeoutMs?: number;
}

/** What the lock workload hands the system's lock client. */
export interface LockParams {
  lockName: string;
  leaseTtlS: number;
}

/** The lock workload over any DB with a lock service: `makeClient` is the DB's lock client. */
export function lockWorkload<I extends ClusterInfo>(makeClient: MakeClient<I, LockParams>, opts: LockWorkloadOptions = {}): Workload<I> {
  return {
    name: 'lock',
    generator: () => lockGenerator(opts),
    client: (info) => makeClient(info, { lockName: opts.lockName ?? 'faultline-lock', leaseTtlS: opts.leaseTtlS ?? 2 }),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'linearizability', config: { model: 'mutex', timeoutMs: opts.checkTimeoutMs ?? 60_000 } }),
    ],
  };
}
