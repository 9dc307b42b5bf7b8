// The set workload against raftkv: the set is one list under the key `set`;
// an add is a one-micro-op transaction appending the element (applied
// atomically in the log, no read-modify-write on the client), a read is a
// get of the list (ReadIndex on the leader).
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RaftkvClient } from '../raftkv/client-base.ts';

const KEY = 'set';

export class RaftkvSetClient extends RaftkvClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    switch (op.f) {
      case 'add': {
        const e = op.value as number;
        return this.settle(await this.call('txn', { ops: [['append', KEY, e]] }), readOnly, () => ({ type: 'ok', value: e }));
      }
      case 'read':
        return this.settle(await this.call('get', { key: KEY }), readOnly, (a) => ({
          type: 'ok',
          value: [...((a.value as number[] | null) ?? [])].sort((x, y) => x - y),
        }));
      default:
        return { type: 'fail', error: `set: unknown f ${op.f}` };
    }
  }
}
