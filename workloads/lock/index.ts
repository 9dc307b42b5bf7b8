// The lock workload: clients take turns holding one etcd lock (v3 lock API
// with a kept-alive lease), checked for linearizability against the mutex
// model: no acquire may succeed while another holder has not yet released.
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Workload } from '../workload.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdLockClient } from './etcd-client.ts';
import { lockGenerator, type LockGeneratorOptions } from './generator.ts';

export { lockGenerator, type LockGeneratorOptions } from './generator.ts';
export { EtcdLockClient, type EtcdLockClientOptions } from './etcd-client.ts';

export interface LockWorkloadOptions extends LockGeneratorOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
  /** Lease TTL, seconds; default 2 (etcd's minimum with a 1 s election timeout). */
  leaseTtlS?: number;
  lockName?: string;
  checkTimeoutMs?: number;
}

export function etcdLockWorkload(opts: LockWorkloadOptions): Workload<DockerClusterInfo> {
  return {
    name: 'lock',
    generator: () => lockGenerator(opts),
    client: (info) =>
      new EtcdLockClient({ ...opts.client, urls: info.urls, lockName: opts.lockName ?? 'faultline-lock', leaseTtlS: opts.leaseTtlS ?? 2 }),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'linearizability', config: { model: 'mutex', timeoutMs: opts.checkTimeoutMs ?? 60_000 } }),
    ],
  };
}
