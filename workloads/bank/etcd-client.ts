// The bank workload against etcd. Accounts are keys bank/<i> holding a
// balance. They are created once, all in one guarded Txn (only if bank/0 does
// not exist yet), when a client opens: every op therefore starts after the
// accounts exist, and the create is idempotent whichever client wins.
// A transfer is a guarded read-modify-write of both accounts; a read is one
// range over bank/, a snapshot at one revision.
import { b64 } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RmwEtcdClient, type RmwClientOptions } from '../etcd/rmw-client.ts';
import { openingBalances, type Transfer } from './generator.ts';

const PREFIX = 'bank/';
const accountKey = (a: number) => `${PREFIX}${a}`;

export interface EtcdBankClientOptions extends RmwClientOptions {
  accounts: number;
  total: number;
}

export class EtcdBankClient extends RmwEtcdClient {
  constructor(private readonly bank: EtcdBankClientOptions) {
    super(bank);
  }

  override async open(node: string): Promise<void> {
    await super.open(node);
    await this.post('kv/txn', {
      compare: [{ key: b64(accountKey(0)), target: 'VERSION', result: 'EQUAL', version: '0' }],
      success: openingBalances(this.bank.accounts, this.bank.total).map((b, a) => ({ request_put: { key: b64(accountKey(a)), value: b64(String(b)) } })),
    });
  }

  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op): Promise<Completion> {
    switch (op.f) {
      case 'read': {
        const kvs = await this.readPrefix(PREFIX);
        return { type: 'ok', value: Object.fromEntries(kvs.map((kv) => [kv.key.slice(PREFIX.length), Number(kv.value)])) };
      }
      case 'transfer':
        return this.transfer(op.value as Transfer);
      default:
        return { type: 'fail', error: `bank: unknown f ${op.f}` };
    }
  }

  private transfer(t: Transfer): Promise<Completion> {
    const from = accountKey(t.from);
    const to = accountKey(t.to);
    return this.readModifyWrite(
      [from, to],
      (snap) => {
        const a = snap.get(from);
        const b = snap.get(to);
        if (!a || !b) return { abort: `account ${!a ? t.from : t.to} does not exist` };
        const balance = Number(a.value);
        if (balance < t.amount) return { abort: `insufficient funds: account ${t.from} has ${balance}` };
        const writes = new Map([
          [from, String(balance - t.amount)],
          [to, String(Number(b.value) + t.amount)],
        ]);
        return { writes, result: t };
      },
    );
  }
}
