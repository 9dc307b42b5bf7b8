// The set workload against etcd: each element is its own key under set/, so
// an add is one blind put. (Appending to one shared key instead would make
// every add a guarded read-modify-write that concurrent adds keep failing:
// more fails, more retries, fewer acknowledged elements for the checker.)
// A read is one range over the prefix: a snapshot at one revision.
import { b64 } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RmwEtcdClient } from '../etcd/rmw-client.ts';

const PREFIX = 'set/';

export class EtcdSetClient extends RmwEtcdClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op): Promise<Completion> {
    switch (op.f) {
      case 'add': {
        const e = op.value as number;
        await this.post('kv/put', { key: b64(`${PREFIX}${e}`), value: b64(String(e)) });
        return { type: 'ok', value: e };
      }
      case 'read': {
        const kvs = await this.readPrefix(PREFIX, true);
        return { type: 'ok', value: kvs.map((kv) => Number(kv.key.slice(PREFIX.length))).sort((a, b) => a - b) };
      }
      default:
        return { type: 'fail', error: `set: unknown f ${op.f}` };
    }
  }
}
