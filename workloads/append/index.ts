// The append workload (Elle list-append): transactions of reads and appends
// over a rolling key set, checked by the elle checker for strict
// serializability (what etcd promises).
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdTxnClient } from './etcd-client.ts';
import { txnGenerator, type TxnGeneratorOptions } from './generator.ts';

export { txnGenerator, type TxnGeneratorOptions, type TxnMicroOp, type WriteKind } from './generator.ts';
export { EtcdTxnClient } from './etcd-client.ts';
export { RaftkvTxnClient } from './raftkv-client.ts';

export interface TxnWorkloadOptions extends TxnGeneratorOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
  /** Guarded write attempts per transaction. Default 5. */
  maxAttempts?: number;
  /** Consistency models the elle checker holds etcd to. Default strict-serializable. */
  consistencyModels?: string[];
  /** Broken on purpose: unguarded writes (lost updates), to show the elle checker catches them. */
  unsafeSkipGuard?: boolean;
}

/** Where the append workload keeps its lists: clients of every DB use the same write kind and prefix. */
export const APPEND_KEYS = { write: 'append', prefix: 'append/' } as const;

/** The append workload over any DB: `makeClient` is the DB's transaction client for the cluster. */
export function appendWorkload<I extends ClusterInfo>(makeClient: (info: I) => Client, opts: Omit<TxnWorkloadOptions, 'client'> = {}): Workload<I> {
  return {
    name: 'append',
    generator: () => txnGenerator('append', opts),
    client: makeClient,
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'elle', config: { workload: 'list-append', consistencyModels: opts.consistencyModels ?? ['strict-serializable'] } }),
    ],
  };
}

export function etcdAppendWorkload(opts: TxnWorkloadOptions): Workload<DockerClusterInfo> {
  return appendWorkload(
    (info) => new EtcdTxnClient({ ...opts.client, urls: info.urls, ...APPEND_KEYS, maxAttempts: opts.maxAttempts ?? 5, unsafeSkipGuard: opts.unsafeSkipGuard }),
    opts,
  );
}
