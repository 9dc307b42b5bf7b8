// The bank workload against raftkv: all balances live in one object under the
// key `bank` ({"0": 20, "1": 20 ...}), created once by a compare-and-set from
// absent when a client opens (idempotent: whichever client wins, a mismatch
// means it exists). A transfer is the server's transfer command, applied
// atomically in the log, which refuses to overdraw (a definite fail); a read
// is a get of the whole object, a snapshot at one applied index.
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RaftkvClient, type RaftkvClientOptions } from '../raftkv/client-base.ts';
import { openingBalances, type Transfer } from './generator.ts';

const KEY = 'bank';

export interface RaftkvBankClientOptions extends RaftkvClientOptions {
  accounts: number;
  total: number;
}

export class RaftkvBankClient extends RaftkvClient {
  constructor(private readonly bank: RaftkvBankClientOptions) {
    super(bank);
  }

  override async open(node: string): Promise<void> {
    await super.open(node);
    const opening = Object.fromEntries(openingBalances(this.bank.accounts, this.bank.total).map((b, a) => [String(a), b]));
    const a = await this.call('cas', { key: KEY, from: null, to: opening });
    if (!a.ok && a.error !== 'cas-mismatch') throw new Error(`creating the accounts: ${a.error}`);
  }

  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    switch (op.f) {
      case 'read':
        return this.settle(await this.call('get', { key: KEY }), readOnly, (a) => ({ type: 'ok', value: a.value ?? {} }));
      case 'transfer': {
        const t = op.value as Transfer;
        const a = await this.call('transfer', { key: KEY, from: String(t.from), to: String(t.to), amount: t.amount });
        return this.settle(a, readOnly, () => ({ type: 'ok', value: t }));
      }
      default:
        return { type: 'fail', error: `bank: unknown f ${op.f}` };
    }
  }
}
