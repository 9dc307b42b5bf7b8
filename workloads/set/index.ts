// The set workload: distinct adds, final reads of the whole set, checked by
// the set invariant (no acknowledged add lost, nothing never added).
import { checkerFromSpec } from '../../harness/checker-registry.ts';
import type { Workload } from '../../harness/test-definition.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdSetClient } from './etcd-client.ts';
import { setFinalGenerator, setGenerator } from './generator.ts';

export { setGenerator, setFinalGenerator } from './generator.ts';
export { EtcdSetClient } from './etcd-client.ts';

export interface SetWorkloadOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
}

export function etcdSetWorkload(opts: SetWorkloadOptions): Workload<DockerClusterInfo> {
  return {
    name: 'set',
    generator: setGenerator,
    finalGenerator: setFinalGenerator,
    client: (info) => new EtcdSetClient({ ...opts.client, urls: info.urls }),
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'set' })],
  };
}
