// The counter workload against raftkv: one key, `counter` (absent reads as 0);
// an add is the server's atomic add command (applied in the log), a read a get.
import type { Completion } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import { RaftkvClient } from '../raftkv/client-base.ts';

const KEY = 'counter';

export class RaftkvCounterClient extends RaftkvClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    switch (op.f) {
      case 'read':
        return this.settle(await this.call('get', { key: KEY }), readOnly, (a) => ({ type: 'ok', value: (a.value as number | null) ?? 0 }));
      case 'add': {
        const delta = op.value as number;
        return this.settle(await this.call('add', { key: KEY, delta }), readOnly, () => ({ type: 'ok', value: delta }));
      }
      default:
        return { type: 'fail', error: `counter: unknown f ${op.f}` };
    }
  }
}
