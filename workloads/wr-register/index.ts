// The wr-register workload (Elle rw-register): transactions of reads and
// blind writes of unique values over a rolling key set, checked by the elle
// checker for strict serializability. Same transaction machinery as append;
// etcd also promises per-key linearizability, and our guarded writes follow
// the reads they depend on, so Elle may use both to infer version orders.
import { checkerFromSpec } from '../../harness/checker-registry.ts';
import type { Workload } from '../../harness/test-definition.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { EtcdTxnClient, txnGenerator, type TxnWorkloadOptions } from '../append/index.ts';

export function etcdWrRegisterWorkload(opts: TxnWorkloadOptions): Workload<DockerClusterInfo> {
  return {
    name: 'wr-register',
    generator: () => txnGenerator('w', opts),
    client: (info) => new EtcdTxnClient({ ...opts.client, urls: info.urls, write: 'w', prefix: 'wr/', maxAttempts: opts.maxAttempts ?? 5 }),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({
        name: 'elle',
        config: { workload: 'rw-register', consistencyModels: opts.consistencyModels ?? ['strict-serializable'], linearizableKeys: true, wfrKeys: true },
      }),
    ],
  };
}
