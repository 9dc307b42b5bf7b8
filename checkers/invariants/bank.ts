// The bank invariant (Jepsen's bank checker). Money moves between a fixed set
// of accounts by transfers that never overdraw, so every snapshot must show
// every account, no negative balance, and the same total. Ops:
//   { f: 'transfer', value: { from, to, amount } }
//   { f: 'read', value: null } -> ok value { [account]: balance }
// Only ok reads are judged; transfers are counted for the report. A snapshot
// that breaks the invariant is evidence of a read seeing part of a transfer
// (a non-atomic or non-isolated transaction) or of a lost/duplicated write.
import type { History } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';
import { MAX_EXAMPLES, clientPairs, outcome } from './pairs.ts';

export interface BankConfig {
  /** Every account that must appear in each read. */
  accounts: Array<string | number>;
  /** The sum of all balances, constant throughout. */
  total: number;
}

export interface BadRead {
  /** History index of the read's completion. */
  index: number;
  balances: Record<string, number>;
  total: number;
  problems: string[];
}

export interface BankDetails {
  reads: number;
  badReads: number;
  transfers: { ok: number; fail: number; info: number };
  /** How many bad reads had each kind of problem. */
  problemCounts: { 'missing-account': number; 'unexpected-account': number; 'negative-balance': number; 'wrong-total': number };
  examples: BadRead[];
}

export function checkBank(history: History, config: BankConfig): CheckResult {
  const pairs = clientPairs(history, 'bank');
  if (!Array.isArray(pairs)) return pairs;
  const expected = config.accounts.map(String);
  const details: BankDetails = {
    reads: 0,
    badReads: 0,
    transfers: { ok: 0, fail: 0, info: 0 },
    problemCounts: { 'missing-account': 0, 'unexpected-account': 0, 'negative-balance': 0, 'wrong-total': 0 },
    examples: [],
  };
  for (const p of pairs) {
    if (p.invoke.f === 'transfer') details.transfers[outcome(p)]++;
    if (p.invoke.f !== 'read' || outcome(p) !== 'ok') continue;
    details.reads++;
    const balances = (p.completion!.value ?? {}) as Record<string, number>;
    const problems: string[] = [];
    const note = (kind: keyof BankDetails['problemCounts'], text: string) => {
      if (!problems.some((x) => x.startsWith(kind))) details.problemCounts[kind]++;
      problems.push(`${kind}: ${text}`);
    };
    for (const a of expected) if (!(a in balances)) note('missing-account', `account ${a} absent`);
    for (const a of Object.keys(balances)) if (!expected.includes(a)) note('unexpected-account', `account ${a} was never created`);
    for (const [a, b] of Object.entries(balances)) if (!(b >= 0)) note('negative-balance', `account ${a} has ${b}`);
    const total = Object.values(balances).reduce((s, b) => s + b, 0);
    if (total !== config.total) note('wrong-total', `total ${total}, expected ${config.total}`);
    if (problems.length === 0) continue;
    details.badReads++;
    if (details.examples.length < MAX_EXAMPLES) details.examples.push({ index: p.completion!.index, balances, total, problems });
  }
  const t = details.transfers;
  const what = `${details.reads} reads, transfers ${t.ok} ok / ${t.fail} fail / ${t.info} info`;
  if (details.badReads > 0) {
    const e = details.examples[0];
    return { checker: 'bank', valid: false, summary: `${details.badReads} of ${details.reads} reads break the invariant, first at op ${e.index}: ${e.problems.join('; ')}`, details };
  }
  if (details.reads === 0) return { checker: 'bank', valid: 'unknown', summary: `no read completed (${what}): nothing to check`, details };
  return { checker: 'bank', valid: true, summary: `${what}: every read saw all ${expected.length} accounts, total ${config.total}, no negative balance`, details };
}
