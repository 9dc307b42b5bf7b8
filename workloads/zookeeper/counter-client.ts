// The counter workload on ZooKeeper: one znode holding the sum as text.
// add = getData, then setData with the version read, again on BadVersion
// (another add came between) up to `maxAttempts` times, then a definite
// fail; read = getData (plain or after sync), a missing znode reads 0.
import zookeeper from 'node-zookeeper-client';
import type { Completion, Op } from '../../history/index.ts';
import { ZookeeperClient, type ZookeeperClientOptions } from './client-base.ts';
import { zkCode } from './outcome.ts';
import type { ZkSession } from './session.ts';

const { Exception } = zookeeper;
const valueOf = (data: Buffer | undefined): number => (data && data.length > 0 ? Number(data.toString()) : 0);

export class ZookeeperCounterClient extends ZookeeperClient {
  constructor(o: ZookeeperClientOptions, private readonly maxAttempts = 10) {
    super(o, 'counter');
  }

  private get path(): string {
    return `${this.dir}/value`;
  }

  protected async apply(op: Op, z: ZkSession): Promise<Completion> {
    switch (op.f) {
      case 'read': {
        try {
          return { type: 'ok', value: valueOf((await this.read(z, this.path)).data) };
        } catch (err) {
          if (zkCode(err) === Exception.NO_NODE) return { type: 'ok', value: 0 };
          throw err;
        }
      }
      case 'add': {
        const delta = op.value as number;
        for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
          if (await this.tryAdd(z, delta)) return { type: 'ok', value: delta };
        }
        return { type: 'fail', error: `add: lost the race ${this.maxAttempts} times (BadVersion)` };
      }
      default:
        return { type: 'fail', error: `counter: unknown f ${op.f}` };
    }
  }

  /** One guarded read-modify-write: false when another write came between (nothing written). */
  private async tryAdd(z: ZkSession, delta: number): Promise<boolean> {
    let current: { value: number; version: number } | undefined;
    try {
      const { data, stat } = await z.getData(this.path);
      current = { value: valueOf(data), version: stat.version };
    } catch (err) {
      if (zkCode(err) !== Exception.NO_NODE) throw err;
    }
    try {
      if (current) await z.setData(this.path, Buffer.from(String(current.value + delta)), current.version);
      else await z.create(this.path, Buffer.from(String(delta)));
      return true;
    } catch (err) {
      const code = zkCode(err);
      if (code === Exception.BAD_VERSION || code === Exception.NODE_EXISTS) return false;
      throw err;
    }
  }
}
