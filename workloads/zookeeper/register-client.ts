// The register workload on ZooKeeper: a znode per key, its data the value
// as decimal text.
//   read  = getData (plain or after sync: the read mode); no znode reads nil;
//   write = setData with any version, or create when the znode is missing;
//   cas   = getData, then setData with the version read: BadVersion (another
//           write came between) and a value other than `from` are definite fails.
import zookeeper from 'node-zookeeper-client';
import type { Completion, Op } from '../../history/index.ts';
import { ZookeeperClient, type ZookeeperClientOptions } from './client-base.ts';
import { zkCode } from './outcome.ts';
import type { ZkSession } from './session.ts';

const { Exception } = zookeeper;
const text = (v: unknown): Buffer => Buffer.from(String(v));
/** A znode's data as the register's value (empty data: nil). */
export const registerValue = (data: Buffer | undefined): number | null => (data && data.length > 0 ? Number(data.toString()) : null);

export class ZookeeperRegisterClient extends ZookeeperClient {
  constructor(o: ZookeeperClientOptions) {
    super(o, 'register');
  }

  protected async apply(op: Op, z: ZkSession): Promise<Completion> {
    const [key, arg] = op.value as [number, unknown];
    const path = `${this.dir}/${key}`;
    switch (op.f) {
      case 'read': {
        try {
          const { data } = await this.read(z, path);
          return { type: 'ok', value: [key, registerValue(data)] };
        } catch (err) {
          if (zkCode(err) === Exception.NO_NODE) return { type: 'ok', value: [key, null] };
          throw err;
        }
      }
      case 'write':
        await this.write(z, path, arg);
        return { type: 'ok', value: [key, arg] };
      case 'cas': {
        const [from, to] = arg as [number, number];
        const { data, stat } = await z.getData(path);
        if (registerValue(data) !== from) return { type: 'fail', error: `cas: value is ${registerValue(data)}, not ${from}` };
        await z.setData(path, text(to), stat.version);
        return { type: 'ok', value: [key, [from, to]] };
      }
      default:
        return { type: 'fail', error: `register: unknown f ${op.f}` };
    }
  }

  /** setData, or create when the key was never written; a create that loses a race to another writer sets instead. */
  private async write(z: ZkSession, path: string, value: unknown): Promise<void> {
    try {
      await z.setData(path, text(value), -1);
      return;
    } catch (err) {
      if (zkCode(err) !== Exception.NO_NODE) throw err;
    }
    try {
      await z.create(path, text(value));
    } catch (err) {
      if (zkCode(err) !== Exception.NODE_EXISTS) throw err;
      await z.setData(path, text(value), -1);
    }
  }
}
