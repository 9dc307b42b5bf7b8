// The bank workload: transfers between a fixed set of accounts and snapshot
// reads, checked by the bank invariant (all accounts, constant total, no
// negative balance).
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/cluster.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { EtcdClientOptions } from '../etcd/client-base.ts';
import { EtcdBankClient } from './etcd-client.ts';
import { bankFinalGenerator, bankGenerator, type BankGeneratorOptions } from './generator.ts';

export { bankGenerator, bankFinalGenerator, openingBalances, type Transfer } from './generator.ts';
export { EtcdBankClient } from './etcd-client.ts';
export { RaftkvBankClient } from './raftkv-client.ts';

export interface BankWorkloadOptions extends BankGeneratorOptions {
  client: Omit<EtcdClientOptions, 'urls'>;
  /** Sum of all balances. Default 100. */
  total?: number;
  /** Guarded write attempts per transfer. Default 5. */
  maxAttempts?: number;
}

/** The bank's shape: every option filled in, for the clients that create the accounts. */
export interface BankShape {
  accounts: number;
  total: number;
}

/** The bank workload over any DB: `makeClient` gets the cluster and the bank's shape. */
export function bankWorkload<I extends ClusterInfo>(makeClient: (info: I, bank: BankShape) => Client, opts: Omit<BankWorkloadOptions, 'client'> = {}): Workload<I> {
  const accounts = opts.accounts ?? 5;
  const total = opts.total ?? 100;
  return {
    name: 'bank',
    generator: () => bankGenerator({ ...opts, accounts }),
    finalGenerator: bankFinalGenerator,
    client: (info) => makeClient(info, { accounts, total }),
    checkers: [
      checkerFromSpec({ name: 'history' }),
      checkerFromSpec({ name: 'bank', config: { accounts: Array.from({ length: accounts }, (_, i) => i), total } }),
    ],
  };
}

export function etcdBankWorkload(opts: BankWorkloadOptions): Workload<DockerClusterInfo> {
  return bankWorkload((info, bank) => new EtcdBankClient({ ...opts.client, urls: info.urls, ...bank, maxAttempts: opts.maxAttempts ?? 5 }), opts);
}
