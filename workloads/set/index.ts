// The set workload: distinct adds, final reads of the whole set, checked by
// the set invariant (no acknowledged add lost, nothing never added).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { setFinalGenerator, setGenerator } from './generator.ts';

export { setGenerator, setFinalGenerator } from './generator.ts';
export { EtcdSetClient } from './etcd-client.ts';
export { RaftkvSetClient } from './raftkv-client.ts';

/** The set workload over any DB: `makeClient` is the DB's client for the cluster. */
export function setWorkload<I extends ClusterInfo>(makeClient: MakeClient<I>): Workload<I> {
  return {
    name: 'set',
    generator: setGenerator,
    finalGenerator: setFinalGenerator,
    client: (info) => makeClient(info, undefined),
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'set' })],
  };
}
