// The bank workload: transfers between a fixed set of accounts and snapshot
// reads, checked by the bank invariant (all accounts, constant total, no
// negative balance).
import { checkerFromSpec } from '../../harness/checker-registry.ts';
import type { Workload } from '../../harness/test-definition.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdBankClient } from './etcd-client.ts';
import { bankFinalGenerator, bankGenerator, type BankGeneratorOptions } from './generator.ts';

export { bankGenerator, bankFinalGenerator, type Transfer } from './generator.ts';
export { EtcdBankClient, openingBalances } from './etcd-client.ts';

export interface BankWorkloadOptions extends BankGeneratorOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
  /** Sum of all balances. Default 100. */
  total?: number;
  /** Guarded write attempts per transfer. Default 5. */
  maxAttempts?: number;
}

export function etcdBankWorkload(opts: BankWorkloadOptions): Workload<DockerClusterInfo> {
  const accounts = opts.accounts ?? 5;
  const total = opts.total ?? 100;
  return {
    name: 'bank',
    generator: () => bankGenerator({ ...opts, accounts }),
    finalGenerator: bankFinalGenerator,
    client: (info) => new EtcdBankClient({ ...opts.client, urls: info.urls, accounts, total, maxAttempts: opts.maxAttempts ?? 5 }),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'bank', config: { accounts: Array.from({ length: accounts }, (_, i) => i), total } }),
    ],
  };
}
