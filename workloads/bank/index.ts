// The bank workload: transfers between a fixed set of accounts and snapshot
// reads, checked by the bank invariant (all accounts, constant total, no
// negative balance).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { bankFinalGenerator, bankGenerator, type BankGeneratorOptions } from './generator.ts';

export { bankGenerator, bankFinalGenerator, openingBalances, type Transfer } from './generator.ts';
export { EtcdBankClient } from './etcd-client.ts';
export { RaftkvBankClient } from './raftkv-client.ts';

export interface BankWorkloadOptions extends BankGeneratorOptions {
  /** Sum of all balances. Default 100. */
  total?: number;
}

/** The bank's shape: every option filled in, for the clients that create the accounts. */
export interface BankShape {
  accounts: number;
  total: number;
}

/** The bank workload over any DB: `makeClient` gets the cluster and the bank's shape. */
export function bankWorkload<I extends ClusterInfo>(makeClient: MakeClient<I, BankShape>, opts: BankWorkloadOptions = {}): Workload<I> {
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
