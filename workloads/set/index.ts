// The set workload: distinct adds, final reads of the whole set, checked by
// the set invariant (no acknowledged add lost, nothing never added).
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdSetClient } from './etcd-client.ts';
import { setFinalGenerator, setGenerator } from './generator.ts';

export { setGenerator, setFinalGenerator } from './generator.ts';
export { EtcdSetClient } from './etcd-client.ts';
export { RaftkvSetClient } from './raftkv-client.ts';

export interface SetWorkloadOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
}

/** The set workload over any DB: `makeClient` is the DB's client for the cluster. */
export function setWorkload<I extends ClusterInfo>(makeClient: (info: I) => Client): Workload<I> {
  return {
    name: 'set',
    generator: setGenerator,
    finalGenerator: setFinalGenerator,
    client: makeClient,
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'set' })],
  };
}

export function etcdSetWorkload(opts: SetWorkloadOptions): Workload<DockerClusterInfo> {
  return setWorkload((info) => new EtcdSetClient({ ...opts.client, urls: info.urls }));
}
