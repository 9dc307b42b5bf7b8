// The counter workload against etcd: one key, counter; absent reads as 0.
// An add is a guarded read-modify-write (etcd has no increment); a read is a range.
import { b64, unb64 } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RmwEtcdClient } from '../etcd/rmw-client.ts';

const KEY = 'counter';

export class EtcdCounterClient extends RmwEtcdClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op): Promise<Completion> {
    switch (op.f) {
      case 'read': {
        const r = await this.post<{ kvs?: Array<{ value?: string }> }>('kv/range', { key: b64(KEY), serializable: this.serializable });
        const raw = r.kvs?.[0]?.value;
        return { type: 'ok', value: raw === undefined ? 0 : Number(unb64(raw)) };
      }
      case 'add': {
        const delta = op.value as number;
        return this.readModifyWrite([KEY], (snap) => ({ writes: new Map([[KEY, String(Number(snap.get(KEY)?.value ?? 0) + delta)]]), result: delta }));
      }
      default:
        return { type: 'fail', error: `counter: unknown f ${op.f}` };
    }
  }
}
