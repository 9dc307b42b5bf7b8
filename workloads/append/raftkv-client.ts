// Elle transactions against raftkv (list-append and rw-register): the
// server's /kv/txn applies the micro-ops atomically through the log (a
// read-only transaction is served by ReadIndex instead), so the client only
// names keys and reads the filled-in results back. Keys are numbers in the
// history and `<prefix><n>` on the server; an absent list reads as [], an
// absent register as null.
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RaftkvClient, type RaftkvClientOptions } from '../raftkv/client-base.ts';
import type { TxnMicroOp, WriteKind } from './generator.ts';

export interface RaftkvTxnClientOptions extends RaftkvClientOptions {
  /** Which micro-op writes: 'append' (lists) or 'w' (registers). */
  write: WriteKind;
  /** Keys live under this prefix, e.g. 'append/'. */
  prefix: string;
}

type ServerMicroOp = [string, string, unknown];

export class RaftkvTxnClient extends RaftkvClient {
  constructor(private readonly txn: RaftkvTxnClientOptions) {
    super(txn);
  }

  protected isReadOnly(op: Op): boolean {
    return (op.value as TxnMicroOp[]).every((m) => m[0] === 'r');
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    if (op.f !== 'txn') return { type: 'fail', error: `txn workload: unknown f ${op.f}` };
    const mops = op.value as TxnMicroOp[];
    const ops: ServerMicroOp[] = mops.map(([f, k, v]) => [f, `${this.txn.prefix}${k}`, v]);
    return this.settle(await this.call('txn', { ops }), readOnly, (a) => {
      const done = (a.ops ?? []) as ServerMicroOp[];
      if (done.length !== mops.length) return { type: 'info', error: `txn: ${done.length} results for ${mops.length} micro-ops` };
      const absent = this.txn.write === 'append' ? [] : null;
      return { type: 'ok', value: mops.map(([f, k, v], i) => (f === 'r' ? ['r', k, done[i][2] ?? absent] : [f, k, v])) };
    });
  }
}
