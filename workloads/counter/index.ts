// The counter workload: increments and reads of one counter, checked by the
// counter invariant (each read between the acknowledged and attempted sums).
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdCounterClient } from './etcd-client.ts';
import { counterFinalGenerator, counterGenerator, type CounterGeneratorOptions } from './generator.ts';

export { counterGenerator, counterFinalGenerator } from './generator.ts';
export { EtcdCounterClient } from './etcd-client.ts';
export { RaftkvCounterClient } from './raftkv-client.ts';

export interface CounterWorkloadOptions extends CounterGeneratorOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
  /** Guarded write attempts per add. Default 10 (every worker contends for the one key). */
  maxAttempts?: number;
  /** Broken on purpose (increments without the guard): for showing the checker catches lost updates. */
  unsafeSkipGuard?: boolean;
}

/** The counter workload over any DB: `makeClient` is the DB's client for the cluster. */
export function counterWorkload<I extends ClusterInfo>(makeClient: (info: I) => Client, opts: CounterGeneratorOptions = {}): Workload<I> {
  return {
    name: 'counter',
    generator: () => counterGenerator(opts),
    finalGenerator: counterFinalGenerator,
    client: makeClient,
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'counter', config: { initial: 0 } })],
  };
}

export function etcdCounterWorkload(opts: CounterWorkloadOptions): Workload<DockerClusterInfo> {
  return counterWorkload(
    (info) => new EtcdCounterClient({ ...opts.client, urls: info.urls, maxAttempts: opts.maxAttempts ?? 10, unsafeSkipGuard: opts.unsafeSkipGuard }),
    opts,
  );
}
