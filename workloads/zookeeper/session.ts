// One ZooKeeper session to one member, with promises and a deadline on every
// request (node-zookeeper-client keeps a request queued while disconnected,
// forever): a request with no answer in time throws ZkTimeout, and the
// caller's op becomes info.
import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import { repairConnection } from './connection-fixes.ts';
import { ZkTimeout } from './outcome.ts';
import { sync } from './sync.ts';

export interface ZkSessionOptions {
  /** host:port of the one member to talk to (no failover: the worker stays with its node). */
  address: string;
  sessionTimeoutMs: number;
  /** Deadline of each request and of the connect. */
  requestTimeoutMs: number;
}

export interface ZnodeData {
  data: Buffer | undefined;
  stat: Stat;
}

function withDeadline<T>(what: string, ms: number, run: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ZkTimeout(what, ms)), ms);
    run((err, value) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    });
  });
}

export class ZkSession {
  private constructor(
    readonly client: Client,
    private readonly o: ZkSessionOptions,
  ) {}

  /** Connects (a new session); throws when no session is established within the request timeout. */
  static async open(o: ZkSessionOptions): Promise<ZkSession> {
    // retries 0: a request is sent once, never replayed behind our back; spinDelay: reconnect quickly after a heal.
    const client = zookeeper.createClient(o.address, { sessionTimeout: o.sessionTimeoutMs, spinDelay: 100, retries: 0 });
    repairConnection(client);
    const session = new ZkSession(client, o);
    try {
      await withDeadline<void>(`connecting to ${o.address}`, o.requestTimeoutMs, (done) => {
        client.once('connected', () => done(undefined));
        client.connect();
      });
    } catch (err) {
      client.close();
      throw err;
    }
    return session;
  }

  private call<T>(what: string, run: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
    return withDeadline(what, this.o.requestTimeoutMs, run);
  }

  getData(path: string): Promise<ZnodeData> {
    return this.call(`getData ${path}`, (done) => this.client.getData(path, (err, data, stat) => done(err, { data, stat })));
  }

  setData(path: string, data: Buffer, version: number): Promise<Stat> {
    return this.call(`setData ${path}`, (done) => this.client.setData(path, data, version, (err, stat) => done(err, stat)));
  }

  create(path: string, data: Buffer | null, mode: number = zookeeper.CreateMode.PERSISTENT): Promise<string> {
    return this.call(`create ${path}`, (done) => this.client.create(path, data, mode, (err, created) => done(err, created)));
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call(`delete ${path}`, (done) => this.client.remove(path, version, (err) => done(err)));
  }

  getChildren(path: string): Promise<string[]> {
    return this.call(`getChildren ${path}`, (done) => this.client.getChildren(path, (err, children) => done(err, children)));
  }

  mkdirp(path: string): Promise<void> {
    return this.call(`mkdirp ${path}`, (done) => this.client.mkdirp(path, (err) => done(err)));
  }

  /** The member catches up with the leader (sync.ts). */
  sync(path: string): Promise<void> {
    return withDeadline(`sync ${path}`, this.o.requestTimeoutMs, (done) => sync(this.client, path).then(() => done(undefined), done));
  }

  close(): void {
    this.client.close();
  }
}
