// The append workload against a node written for Maelstrom's
// txn-list-append: one `txn` request carries the micro-ops as Maelstrom
// writes them, ["r", k, null] and ["append", k, v]; txn_ok carries them back
// with every read filled in. Maelstrom reads an absent key as null, the
// append workload as the empty list.
import type { Completion, Op } from '../../history/index.ts';
import type { TxnMicroOp } from '../append/index.ts';
import { MaelstromClient } from './client-base.ts';

type Result = ['r', number, number[]] | ['append', number, number];

/** The txn request body for a history op's micro-ops. */
export function txnRequest(mops: readonly TxnMicroOp[]): { type: 'txn'; txn: unknown[] } {
  return { type: 'txn', txn: mops.map(([f, k, v]) => [f, k, f === 'r' ? null : v]) };
}

/** The history's ok value for a txn_ok's micro-ops, or why they do not answer the request. */
export function txnResult(mops: readonly TxnMicroOp[], txn: unknown): { value: Result[] } | { problem: string } {
  if (!Array.isArray(txn) || txn.length !== mops.length) return { problem: `txn_ok has ${Array.isArray(txn) ? txn.length : 'no'} micro-ops for ${mops.length}` };
  const value: Result[] = [];
  for (const [i, [f, k, v]] of mops.entries()) {
    const got = txn[i] as unknown[];
    if (!Array.isArray(got) || got[0] !== f || got[1] !== k) return { problem: `txn_ok micro-op ${i} is ${JSON.stringify(got)}, expected [${JSON.stringify(f)}, ${k}, ...]` };
    if (f !== 'r') {
      value.push([f as 'append', k, v as number]);
      continue;
    }
    const read = got[2] ?? [];
    if (!Array.isArray(read)) return { problem: `txn_ok read of key ${k} is ${JSON.stringify(read)}, not a list` };
    value.push(['r', k, read as number[]]);
  }
  return { value };
}

export class MaelstromTxnClient extends MaelstromClient {
  protected isReadOnly(op: Op): boolean {
    return (op.value as TxnMicroOp[]).every((m) => m[0] === 'r');
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    if (op.f !== 'txn') return { type: 'fail', error: `txn workload: unknown f ${op.f}` };
    const mops = op.value as TxnMicroOp[];
    return this.settle(await this.send(txnRequest(mops)), 'txn_ok', readOnly, (reply) => {
      const result = txnResult(mops, reply.txn);
      // An answer that does not match the request: it happened, but we cannot say how (never fail: it may have applied).
      return 'value' in result ? { type: 'ok', value: result.value } : { type: readOnly ? 'fail' : 'info', error: result.problem };
    });
  }
}
