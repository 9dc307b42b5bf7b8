// The wr-register workload (Elle rw-register): transactions of reads and
// blind writes of unique values over a rolling key set, checked by the elle
// checker for strict serializability. Same transaction machinery as append;
// etcd also promises per-key linearizability, and our guarded writes follow
// the reads they depend on, so Elle may use both to infer version orders.
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { txnGenerator, type TxnKeys, type TxnWorkloadOptions } from '../append/index.ts';

/** Where the wr-register workload keeps its registers: clients of every DB use the same write kind and prefix. */
export const WR_REGISTER_KEYS: TxnKeys = { write: 'w', prefix: 'wr/' };

/** The wr-register workload over any DB: `makeClient` is the DB's transaction client for the cluster. */
export function wrRegisterWorkload<I extends ClusterInfo>(makeClient: MakeClient<I, TxnKeys>, opts: TxnWorkloadOptions = {}): Workload<I> {
  return {
    name: 'wr-register',
    generator: () => txnGenerator('w', opts),
    client: (info) => makeClient(info, WR_REGISTER_KEYS),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({
        name: 'elle',
        config: { workload: 'rw-register', consistencyModels: opts.consistencyModels ?? ['strict-serializable'], linearizableKeys: true, wfrKeys: true },
      }),
    ],
  };
}
