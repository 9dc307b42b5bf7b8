// The lock workload on ZooKeeper: the standard recipe
// (zookeeper.apache.org/doc/current/recipes.html#sc_recipes_Locks).
//   acquire = create an ephemeral-sequential znode lock-NNNN under the lock's
//             folder; the lowest number holds the lock, so list the folder
//             until ours is lowest. Not lowest within half the op timeout:
//             delete ours and fail (nothing held, definitely).
//   release = delete our znode. NoNode or an expired session mean ZooKeeper
//             already deleted it with the session: the lock is not held
//             either way, so the release is ok.
// A lock is only as good as the session behind it: when the member this
// client talks to is paused or cut off longer than the session timeout, the
// leader expires the session, deletes the znode and the next waiter holds
// the lock, while this client, which never looks at its session between two
// of its own instructions (like a process paused by GC), still believes it
// holds it. That is what the mutex model catches.
import zookeeper from 'node-zookeeper-client';
import type { Completion, Op } from '../../history/index.ts';
import type { LockParams } from '../lock/index.ts';
import { ZookeeperClient, type ZookeeperClientOptions } from './client-base.ts';
import { completionForZkError, zkCode } from './outcome.ts';
import type { ZkSession } from './session.ts';

const { Exception, CreateMode } = zookeeper;
const POLL_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lock's holder among the folder's children: the lowest sequence number. */
export function lowestLockNode(children: readonly string[]): string | undefined {
  const seq = (n: string) => Number(/(\d+)$/.exec(n)?.[1] ?? Infinity);
  return [...children].filter((c) => c.startsWith('lock-')).sort((a, b) => seq(a) - seq(b))[0];
}

export class ZookeeperLockClient extends ZookeeperClient {
  /** Our lock znode's path while this client believes it holds the lock. */
  private held?: string;

  constructor(o: ZookeeperClientOptions, lock: LockParams) {
    super(o, `lock/${lock.lockName}`);
  }

  protected async apply(op: Op, z: ZkSession): Promise<Completion> {
    switch (op.f) {
      case 'acquire':
        if (this.held) return { type: 'fail', error: 'this client already holds the lock' };
        return this.acquire(z);
      case 'release': {
        if (!this.held) return { type: 'fail', error: 'not held by this client' };
        const path = this.held;
        this.held = undefined;
        try {
          await z.remove(path);
        } catch (err) {
          const code = zkCode(err);
          if (code !== Exception.NO_NODE && code !== Exception.SESSION_EXPIRED) throw err;
        }
        return { type: 'ok' };
      }
      default:
        return { type: 'fail', error: `lock: unknown f ${op.f}` };
    }
  }

  private async acquire(z: ZkSession): Promise<Completion> {
    const mine = await z.create(`${this.dir}/lock-`, null, CreateMode.EPHEMERAL_SEQUENTIAL);
    const name = mine.slice(mine.lastIndexOf('/') + 1);
    const giveUp = Date.now() + this.o.timeoutMs / 2;
    for (;;) {
      // A plain listing is enough: the session reads its own create, so every earlier contender is there.
      if (lowestLockNode(await z.getChildren(this.dir)) === name) {
        this.held = mine;
        return { type: 'ok' };
      }
      if (Date.now() >= giveUp) break;
      await sleep(POLL_MS);
    }
    try {
      await z.remove(mine);
    } catch (err) {
      // Not deleted: it may yet become the holder, so the acquire's outcome is unknown.
      if (zkCode(err) !== Exception.NO_NODE) return { ...completionForZkError(err), type: 'info' };
    }
    return { type: 'fail', error: 'lock busy: not first in line in time (our place given up)' };
  }

  override async close(): Promise<void> {
    // Closing the session deletes our znode: the lock, or our place in line.
    this.held = undefined;
    await super.close();
  }
}
