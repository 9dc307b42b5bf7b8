// The wr-register workload (Elle rw-register): transactions of reads and
// blind writes of unique values over a rolling key set, checked by the elle
// checker for strict serializability. Same transaction machinery as append;
// etcd also promises per-key linearizability, and our guarded writes follow
// the reads they depend on, so Elle may use both to infer version orders.
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { EtcdTxnClient, txnGenerator, type TxnWorkloadOptions } from '../append/index.ts';

/** Where the wr-register workload keeps its registers: clients of every DB use the same write kind and prefix. */
export const WR_REGISTER_KEYS = { write: 'w', prefix: 'wr/' } as const;

/** The wr-register workload over any DB: `makeClient` is the DB's transaction client for the cluster. */
export function wrRegisterWorkload<I extends ClusterInfo>(makeClient: (info: I) => Client, opts: Omit<TxnWorkloadOptions, 'client'> = {}): Workload<I> {
  return {
    name: 'wr-register',
    generator: () => txnGenerator('w', opts),
    client: makeClient,
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({
        name: 'elle',
        config: { workload: 'rw-register', consistencyModels: opts.consistencyModels ?? ['strict-serializable'], linearizableKeys: true, wfrKeys: true },
      }),
    ],
  };
}

export function etcdWrRegisterWorkload(opts: TxnWorkloadOptions): Workload<DockerClusterInfo> {
  return wrRegisterWorkload((info) => new EtcdTxnClient({ ...opts.client, urls: info.urls, ...WR_REGISTER_KEYS, maxAttempts: opts.maxAttempts ?? 5 }), opts);
}
