// The register workload against a node written for Maelstrom's lin-kv:
// read {key} -> read_ok {value}; write {key, value} -> write_ok;
// cas {key, from, to} -> cas_ok. A read of a key never written answers
// key-does-not-exist (20): that is the register's nil, an ok read of null.
import type { Completion, Op } from '../../history/index.ts';
import { MAELSTROM_ERROR, type MaelstromBody } from '../../clusters/index.ts';
import { MaelstromClient } from './client-base.ts';

/** A history op's register request as a lin-kv body (keys and values are the history's numbers). */
export function linKvRequest(op: Pick<Op, 'f' | 'value'>): MaelstromBody | undefined {
  const [key, arg] = op.value as [number, unknown];
  switch (op.f) {
    case 'read':
      return { type: 'read', key };
    case 'write':
      return { type: 'write', key, value: arg };
    case 'cas': {
      const [from, to] = arg as [number, number];
      return { type: 'cas', key, from, to };
    }
    default:
      return undefined;
  }
}

export class MaelstromRegisterClient extends MaelstromClient {
  protected isReadOnly(op: Op): boolean {
    return op.f === 'read';
  }

  protected async apply(op: Op, readOnly: boolean): Promise<Completion> {
    const body = linKvRequest(op);
    if (!body) return { type: 'fail', error: `register: unknown f ${op.f}` };
    const [key, arg] = op.value as [number, unknown];
    const answer = await this.send(body);
    if (op.f === 'read') {
      // Never written: lin-kv says key-does-not-exist, the register reads nil.
      if (answer.body?.type === 'error' && answer.body.code === MAELSTROM_ERROR.keyDoesNotExist) return { type: 'ok', value: [key, null] };
      return this.settle(answer, 'read_ok', readOnly, (reply) => ({ type: 'ok', value: [key, reply.value ?? null] }));
    }
    return this.settle(answer, `${op.f}_ok`, readOnly, () => ({ type: 'ok', value: [key, arg] }));
  }
}
