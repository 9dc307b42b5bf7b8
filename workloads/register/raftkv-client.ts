// The register workload against raftkv: read = get (ReadIndex on the leader),
// write = put, cas = the server's compare-and-set (a mismatch is a definite fail).
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RaftkvClient } from '../raftkv/client-base.ts';

const keyName = (k: unknown) => `register/${String(k)}`;

export class RaftkvRegisterClient extends RaftkvClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    const [key, arg] = op.value as [number, unknown];
    switch (op.f) {
      case 'read':
        return this.settle(await this.call('get', { key: keyName(key) }), readOnly, (a) => ({ type: 'ok', value: [key, a.value ?? null] }));
      case 'write':
        return this.settle(await this.call('put', { key: keyName(key), value: arg }), readOnly, () => ({ type: 'ok', value: [key, arg] }));
      case 'cas': {
        const [from, to] = arg as [number, number];
        return this.settle(await this.call('cas', { key: keyName(key), from, to }), readOnly, () => ({ type: 'ok', value: [key, [from, to]] }));
      }
      default:
        return { type: 'fail', error: `register: unknown f ${op.f}` };
    }
  }
}
