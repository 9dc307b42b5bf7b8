// The register workload against etcd's v3 API: read = range (linearizable
// or serializable), write = put, cas = a Txn comparing the key's value.
import { b64, unb64 } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { EtcdClient } from '../etcd/client-base.ts';

const keyName = (k: unknown) => `register/${String(k)}`;

export class EtcdRegisterClient extends EtcdClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op): Promise<Completion> {
    const [key, arg] = op.value as [number, unknown];
    switch (op.f) {
      case 'read': {
        const r = await this.post<{ kvs?: Array<{ value?: string }> }>('kv/range', { key: b64(keyName(key)), serializable: this.serializable });
        const raw = r.kvs?.[0]?.value;
        return { type: 'ok', value: [key, raw === undefined ? null : Number(unb64(raw))] };
      }
      case 'write':
        await this.post('kv/put', { key: b64(keyName(key)), value: b64(String(arg)) });
        return { type: 'ok', value: [key, arg] };
      case 'cas': {
        const [from, to] = arg as [number, number];
        const r = await this.post<{ succeeded?: boolean }>('kv/txn', {
          compare: [{ key: b64(keyName(key)), target: 'VALUE', result: 'EQUAL', value: b64(String(from)) }],
          success: [{ request_put: { key: b64(keyName(key)), value: b64(String(to)) } }],
        });
        // The gateway omits false booleans: no `succeeded` means the compare failed, nothing was written.
        return r.succeeded ? { type: 'ok', value: [key, [from, to]] } : { type: 'fail', error: 'cas: value did not match' };
      }
      default:
        return { type: 'fail', error: `register: unknown f ${op.f}` };
    }
  }
}
