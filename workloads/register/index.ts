// The register workload: independent keys, each a compare-and-set register,
// checked for linearizability key by key (model kv-cas-register, nil = absent).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { registerGenerator, type RegisterGeneratorOptions } from './generator.ts';

export { registerGenerator } from './generator.ts';
export { EtcdRegisterClient } from './etcd-client.ts';
export { RaftkvRegisterClient } from './raftkv-client.ts';

export interface RegisterWorkloadOptions extends RegisterGeneratorOptions {
  /** Give the linearizability search up (unknown) after this long. */
  checkTimeoutMs?: number;
}

/** The register workload over any DB: `makeClient` is the DB's client for the cluster. */
export function registerWorkload<I extends ClusterInfo>(makeClient: MakeClient<I>, opts: RegisterWorkloadOptions = {}): Workload<I> {
  return {
    name: 'register',
    generator: () => registerGenerator(opts),
    client: (info) => makeClient(info, undefined),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({
        name: 'linearizability',
        config: { model: 'kv-cas-register', nilRead: 'absent', timeoutMs: opts.checkTimeoutMs ?? 60_000 },
      }),
    ],
  };
}
