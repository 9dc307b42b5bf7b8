// The set workload on ZooKeeper: each element a znode `e<value>` under the
// set's folder; add = create (NodeExists: the element is there already, an
// add that retried), read = the folder's children (plain or after sync).
import zookeeper from 'node-zookeeper-client';
import type { Completion, Op } from '../../history/index.ts';
import { ZookeeperClient, type ZookeeperClientOptions } from './client-base.ts';
import { zkCode } from './outcome.ts';
import type { ZkSession } from './session.ts';

export class ZookeeperSetClient extends ZookeeperClient {
  constructor(o: ZookeeperClientOptions) {
    super(o, 'set');
  }

  protected async apply(op: Op, z: ZkSession): Promise<Completion> {
    switch (op.f) {
      case 'add': {
        const e = op.value as number;
        try {
          await z.create(`${this.dir}/e${e}`, null);
        } catch (err) {
          // Unique elements: it exists only if an earlier attempt of this very add got through.
          if (zkCode(err) !== zookeeper.Exception.NODE_EXISTS) throw err;
        }
        return { type: 'ok', value: e };
      }
      case 'read': {
        const names = await this.readChildren(z, this.dir);
        const values = names.filter((n) => /^e-?\d+$/.test(n)).map((n) => Number(n.slice(1)));
        return { type: 'ok', value: values.sort((a, b) => a - b) };
      }
      default:
        return { type: 'fail', error: `set: unknown f ${op.f}` };
    }
  }
}
