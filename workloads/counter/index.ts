// The counter workload: increments and reads of one counter, checked by the
// counter invariant (each read between the acknowledged and attempted sums).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { counterFinalGenerator, counterGenerator, type CounterGeneratorOptions } from './generator.ts';

export { counterGenerator, counterFinalGenerator } from './generator.ts';
export { EtcdCounterClient } from './etcd-client.ts';
export { RaftkvCounterClient } from './raftkv-client.ts';

/** The counter workload over any DB: `makeClient` is the DB's client for the cluster. */
export function counterWorkload<I extends ClusterInfo>(makeClient: MakeClient<I>, opts: CounterGeneratorOptions = {}): Workload<I> {
  return {
    name: 'counter',
    generator: () => counterGenerator(opts),
    finalGenerator: counterFinalGenerator,
    client: (info) => makeClient(info, undefined),
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'counter', config: { initial: 0 } })],
  };
}
