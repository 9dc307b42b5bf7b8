// Elle transactions against etcd (list-append and rw-register), the way
// Jepsen's etcd tests run them: read every key the transaction depends on in
// one Txn, play the micro-ops locally, then write the changed keys in one Txn
// guarded by the mod_revisions read (workloads/etcd/guarded-txn.ts), retrying
// a bounded number of times. Lists are stored as JSON arrays, registers as
// the number's text. Read results: a list ([] when the key is absent) or a
// register value (null when absent).
import type { KeyValue } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import type { Plan } from '../etcd/guarded-txn.ts';
import { RmwEtcdClient, type RmwClientOptions } from '../etcd/rmw-client.ts';
import type { TxnMicroOp, WriteKind } from './generator.ts';

export interface EtcdTxnClientOptions extends RmwClientOptions {
  /** Which micro-op writes: 'append' (lists) or 'w' (registers). */
  write: WriteKind;
  /** Keys live under this prefix, e.g. 'append/'. */
  prefix: string;
}

type Local = number[] | number | null;
type Completed = ['append' | 'w', number, number] | ['r', number, Local];

export class EtcdTxnClient extends RmwEtcdClient {
  constructor(private readonly txn: EtcdTxnClientOptions) {
    super(txn);
  }

  protected isReadOnly(op: Op): boolean {
    return (op.value as TxnMicroOp[]).every((m) => m[0] === 'r');
  }

  protected async apply(op: Op): Promise<Completion> {
    if (op.f !== 'txn') return { type: 'fail', error: `txn workload: unknown f ${op.f}` };
    const mops = op.value as TxnMicroOp[];
    return this.readModifyWrite(this.keysToRead(mops).map(this.etcdKey), (snap) => this.play(mops, snap));
  }

  private etcdKey = (k: number): string => `${this.txn.prefix}${k}`;

  /**
   * Keys whose current value the transaction depends on: for lists, every
   * key it touches (an append extends what is there); for registers, keys
   * read before the transaction's own first write to them (a blind write
   * depends on nothing).
   */
  private keysToRead(mops: TxnMicroOp[]): number[] {
    const read = new Set<number>();
    const written = new Set<number>();
    for (const [f, k] of mops) {
      if (this.txn.write === 'append' || (f === 'r' && !written.has(k))) read.add(k);
      if (f !== 'r') written.add(k);
    }
    return [...read];
  }

  private play(mops: TxnMicroOp[], snap: ReadonlyMap<string, KeyValue>): Plan<Completed[]> {
    const local = new Map<number, Local>();
    const current = (k: number): Local => {
      if (local.has(k)) return local.get(k)!;
      const kv = snap.get(this.etcdKey(k));
      if (this.txn.write === 'append') return kv ? (JSON.parse(kv.value) as number[]) : [];
      return kv ? Number(kv.value) : null;
    };
    const done: Completed[] = [];
    const writes = new Map<string, string>();
    for (const m of mops) {
      const [f, k] = m;
      if (f === 'r') {
        const v = current(k);
        done.push(['r', k, Array.isArray(v) ? [...v] : v]);
        continue;
      }
      const v = m[2];
      const next: Local = f === 'append' ? [...((current(k) as number[] | null) ?? []), v] : v;
      local.set(k, next);
      writes.set(this.etcdKey(k), Array.isArray(next) ? JSON.stringify(next) : String(next));
      done.push([f, k, v]);
    }
    return { writes, result: done };
  }
}
