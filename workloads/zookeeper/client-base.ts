// What every ZooKeeper workload client shares: one session to the worker's
// member, the workload's parent znode made once, reads in the chosen mode,
// and errors mapped to fail/info (outcome.ts). After an info the run loop
// closes the client (ending its session) and opens a fresh one.
import zookeeper from 'node-zookeeper-client';
import type { Completion, Op } from '../../history/index.ts';
import type { Client } from '../workload.ts';
import type { ReadMode } from '../etcd/client-base.ts';
import { completionForZkError, zkCode } from './outcome.ts';
import { ZkSession, type ZnodeData } from './session.ts';

export interface ZookeeperClientOptions {
  /** host:port of each member's client port, by node name. */
  addresses: Record<string, string>;
  /** Deadline of each request, ms. */
  timeoutMs: number;
  sessionTimeoutMs: number;
  /** The znode under which workloads keep theirs, e.g. /faultline. */
  prefix: string;
  /** linearizable: sync, then getData; serializable: a plain getData, served by the member as it stands. */
  readMode: ReadMode;
}

/** A request deadline inside the run loop's op timeout, so our own mapping (not the loop's) decides the outcome. */
const requestTimeout = (opTimeoutMs: number): number => Math.max(200, Math.round(opTimeoutMs * 0.9));

export abstract class ZookeeperClient implements Client {
  protected session?: ZkSession;

  constructor(
    protected readonly o: ZookeeperClientOptions,
    /** This workload's folder below the prefix, e.g. "register". */
    private readonly folder: string,
  ) {}

  protected get dir(): string {
    return `${this.o.prefix}/${this.folder}`;
  }

  async open(node: string): Promise<void> {
    const address = this.o.addresses[node];
    if (!address) throw new Error(`no ZooKeeper address for node ${node}`);
    this.session = await ZkSession.open({ address, sessionTimeoutMs: this.o.sessionTimeoutMs, requestTimeoutMs: requestTimeout(this.o.timeoutMs) });
    try {
      await this.ensureDir();
    } catch (err) {
      this.session.close();
      throw err;
    }
  }

  /** The workload's folder exists (checked with a read first: a create of an existing znode is still a transaction). */
  private async ensureDir(): Promise<void> {
    try {
      await this.session!.getData(this.dir);
    } catch (err) {
      if (zkCode(err) !== zookeeper.Exception.NO_NODE) throw err;
      await this.session!.mkdirp(this.dir);
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }

  async invoke(op: Op): Promise<Completion> {
    try {
      return await this.apply(op, this.session!);
    } catch (err) {
      return completionForZkError(err);
    }
  }

  /** A read in the client's mode: sync first unless reads are plain. */
  protected async read(z: ZkSession, path: string): Promise<ZnodeData> {
    if (this.o.readMode === 'linearizable') await z.sync(path);
    return z.getData(path);
  }

  /** Same, for a folder's children. */
  protected async readChildren(z: ZkSession, path: string): Promise<string[]> {
    if (this.o.readMode === 'linearizable') await z.sync(path);
    return z.getChildren(path);
  }

  /** Perform the op; ZooKeeper errors may be thrown (mapped by outcome.ts). */
  protected abstract apply(op: Op, z: ZkSession): Promise<Completion>;
}

export { requestTimeout };
