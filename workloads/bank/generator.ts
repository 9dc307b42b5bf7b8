// Ops for the bank workload: transfers of a small amount between two distinct
// random accounts, and reads of every balance; one read per worker at the end.
import { fn, type Generator } from '../../generator/index.ts';
import { finalReads } from '../final-reads.ts';

export interface BankGeneratorOptions {
  /** Accounts 0..accounts-1. Default 5. */
  accounts?: number;
  /** Transfers move 1..maxTransfer. Default 5. */
  maxTransfer?: number;
  /** Fraction of reads; the rest are transfers. Default 0.5. */
  readFraction?: number;
}

export interface Transfer {
  from: number;
  to: number;
  amount: number;
}

export function bankGenerator(opts: BankGeneratorOptions = {}): Generator {
  const accounts = opts.accounts ?? 5;
  const maxTransfer = opts.maxTransfer ?? 5;
  const readFraction = opts.readFraction ?? 0.5;
  if (accounts < 2) throw new Error('bank: a transfer needs at least 2 accounts');
  return fn((ctx) => {
    if (ctx.random.float() < readFraction) return { f: 'read', value: null };
    const from = ctx.random.int(accounts);
    // Any account but `from`, uniformly.
    const to = (from + 1 + ctx.random.int(accounts - 1)) % accounts;
    const value: Transfer = { from, to, amount: ctx.random.between(1, maxTransfer) };
    return { f: 'transfer', value };
  });
}

/** Opening balances: the total spread evenly, the remainder on account 0. */
export function openingBalances(accounts: number, total: number): number[] {
  const each = Math.floor(total / accounts);
  return Array.from({ length: accounts }, (_, i) => each + (i === 0 ? total - each * accounts : 0));
}

export function bankFinalGenerator(): Generator {
  return finalReads();
}
