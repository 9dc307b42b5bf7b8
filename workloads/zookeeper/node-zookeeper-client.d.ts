// The part of node-zookeeper-client 1.1.3 (plain JavaScript, no types of its
// own) that faultline uses: the client, its errors and, for sync.ts, the
// connection manager's request queue and the jute Request frame.
declare module 'node-zookeeper-client' {
  export interface Stat {
    czxid: Buffer;
    mzxid: Buffer;
    /** zxid of the last transaction that created or deleted a child. */
    pzxid: Buffer;
    version: number;
    cversion: number;
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
  }
  export class Exception extends Error {
    static create(code: number): Exception;
    getCode(): number;
    getName(): string;
    static readonly OK: number;
    static readonly CONNECTION_LOSS: number;
    static readonly OPERATION_TIMEOUT: number;
    static readonly NO_NODE: number;
    static readonly NODE_EXISTS: number;
    static readonly BAD_VERSION: number;
    static readonly NOT_EMPTY: number;
    static readonly SESSION_EXPIRED: number;
    static readonly BAD_ARGUMENTS: number;
    static readonly NO_AUTH: number;
    static readonly NO_CHILDREN_FOR_EPHEMERALS: number;
  }
  export const CreateMode: { PERSISTENT: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL: number; EPHEMERAL_SEQUENTIAL: number };
  export interface State {
    name: string;
    code: number;
  }
  /** The request frame the connection manager queues (lib/jute). */
  export interface JuteRecord {
    byteLength(): number;
    serialize(buffer: Buffer, offset: number): number;
  }
  export interface ConnectionManager {
    queue(request: { header: JuteRecord & { xid: number; type: number }; payload: JuteRecord | null; toBuffer(): Buffer }, callback: (error: Exception | null, response?: { payload: unknown }) => void): void;
  }
  type Callback<T> = (error: Exception | null, result: T, stat: Stat) => void;
  export interface Client {
    connectionManager: ConnectionManager;
    connect(): void;
    close(): void;
    once(event: 'connected' | 'disconnected' | 'expired' | 'authenticationFailed' | 'connectedReadOnly', listener: () => void): this;
    on(event: 'state', listener: (state: State) => void): this;
    getState(): State;
    getSessionId(): Buffer;
    create(path: string, data: Buffer | null, mode: number, callback: (error: Exception | null, path: string) => void): void;
    remove(path: string, version: number, callback: (error: Exception | null) => void): void;
    exists(path: string, callback: (error: Exception | null, stat: Stat | null) => void): void;
    getData(path: string, callback: (error: Exception | null, data: Buffer | undefined, stat: Stat) => void): void;
    setData(path: string, data: Buffer | null, version: number, callback: (error: Exception | null, stat: Stat) => void): void;
    getChildren(path: string, callback: Callback<string[]>): void;
    mkdirp(path: string, callback: (error: Exception | null, path: string) => void): void;
  }
  export function createClient(connectionString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): Client;
  const zookeeper: {
    createClient: typeof createClient;
    Exception: typeof Exception;
    CreateMode: typeof CreateMode;
  };
  export default zookeeper;
}

declare module 'node-zookeeper-client/lib/jute/index.js' {
  import type { JuteRecord } from 'node-zookeeper-client';
  export const OP_CODES: { CREATE: number; SYNC: number; GET_DATA: number };
  export class Request {
    constructor(header: JuteRecord & { xid: number; type: number }, payload: JuteRecord | null);
    header: JuteRecord & { xid: number; type: number };
    payload: JuteRecord | null;
    toBuffer(): Buffer;
  }
  const jute: { OP_CODES: typeof OP_CODES; Request: typeof Request };
  export default jute;
}
