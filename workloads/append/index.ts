// The append workload (Elle list-append): transactions of reads and appends
// over a rolling key set, checked by the elle checker for strict
// serializability (what etcd promises).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { txnGenerator, type TxnGeneratorOptions, type WriteKind } from './generator.ts';

export { txnGenerator, type TxnGeneratorOptions, type TxnMicroOp, type WriteKind } from './generator.ts';
export { EtcdTxnClient } from './etcd-client.ts';
export { RaftkvTxnClient } from './raftkv-client.ts';

export interface TxnWorkloadOptions extends TxnGeneratorOptions {
  /** Consistency models the elle checker holds etcd to. Default strict-serializable. */
  consistencyModels?: string[];
}

/** Where the append workload keeps its lists: clients of every DB use the same write kind and prefix. */
export const APPEND_KEYS: TxnKeys = { write: 'append', prefix: 'append/' };

/** Where a transaction workload keeps its keys, handed to the system's client. */
export interface TxnKeys {
  write: WriteKind;
  prefix: string;
}

/** The append workload over any DB: `makeClient` is the DB's transaction client for the cluster. */
export function appendWorkload<I extends ClusterInfo>(makeClient: MakeClient<I, TxnKeys>, opts: TxnWorkloadOptions = {}): Workload<I> {
  return {
    name: 'append',
    generator: () => txnGenerator('append', opts),
    client: (info) => makeClient(info, APPEND_KEYS),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'elle', config: { workload: 'list-append', consistencyModels: opts.consistencyModels ?? ['strict-serializable'] } }),
    ],
  };
}
