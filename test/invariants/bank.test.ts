import { describe, expect, it } from 'vitest';
import { checkBank, type BankDetails } from '../../checkers/invariants/index.ts';
import { HistoryBuilder } from './history-builder.ts';

const config = { accounts: [0, 1, 2], total: 30 };
const details = (r: ReturnType<typeof checkBank>) => r.details as BankDetails;

function withRead(balances: Record<string, number>) {
  const h = new HistoryBuilder();
  h.op(0, 'read', null, 'ok', { 0: 10, 1: 10, 2: 10 });
  h.op(1, 'transfer', { from: 0, to: 1, amount: 3 }, 'ok');
  h.op(1, 'transfer', { from: 2, to: 1, amount: 50 }, 'fail');
  h.op(2, 'transfer', { from: 1, to: 2, amount: 1 }, 'info');
  h.op(0, 'read', null, 'ok', balances);
  return h.ops;
}

describe('bank checker', () => {
  it('valid: every read has all accounts and the total; transfers counted', () => {
    const r = checkBank(withRead({ 0: 7, 1: 12, 2: 11 }), config);
    expect(r.valid).toBe(true);
    expect(details(r)).toMatchObject({ reads: 2, badReads: 0, transfers: { ok: 1, fail: 1, info: 1 } });
  });

  it('invalid: the total changed (a read saw half a transfer)', () => {
    const r = checkBank(withRead({ 0: 7, 1: 10, 2: 10 }), config);
    expect(r.valid).toBe(false);
    expect(details(r).problemCounts['wrong-total']).toBe(1);
    expect(details(r).examples[0]).toMatchObject({ index: 9, total: 27, problems: ['wrong-total: total 27, expected 30'] });
    expect(r.summary).toMatch(/1 of 2 reads break the invariant, first at op 9/);
  });

  it('invalid: a negative balance, even with the right total', () => {
    const r = checkBank(withRead({ 0: -1, 1: 20, 2: 11 }), config);
    expect(r.valid).toBe(false);
    expect(details(r).problemCounts).toMatchObject({ 'negative-balance': 1, 'wrong-total': 0 });
  });

  it('invalid: a missing account, and an account that was never created', () => {
    const missing = checkBank(withRead({ 0: 15, 1: 15 }), config);
    expect(missing.valid).toBe(false);
    expect(details(missing).problemCounts['missing-account']).toBe(1);
    const extra = checkBank(withRead({ 0: 10, 1: 10, 2: 10, 7: 0 }), config);
    expect(extra.valid).toBe(false);
    expect(details(extra).examples[0].problems).toEqual(['unexpected-account: account 7 was never created']);
  });

  it('counts each kind once per read and keeps every bad read counted', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 15; i++) h.op(0, 'read', null, 'ok', { 0: -5, 1: -5 });
    const r = checkBank(h.ops, config);
    expect(details(r)).toMatchObject({ badReads: 15, problemCounts: { 'missing-account': 15, 'negative-balance': 15, 'wrong-total': 15 } });
    expect(details(r).examples).toHaveLength(10);
  });

  it('unknown when no read completed; info and failed reads are not judged', () => {
    const h = new HistoryBuilder();
    h.op(0, 'transfer', { from: 0, to: 1, amount: 1 }, 'ok');
    h.op(1, 'read', null, 'fail', null);
    h.invoke(2, 'read');
    expect(checkBank(h.ops, config).valid).toBe('unknown');
  });
});
