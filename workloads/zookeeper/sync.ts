// ZooKeeper's sync(path) for node-zookeeper-client, which has none. A plain
// read is served by whichever member the session is connected to and may
// be stale (ZooKeeper promises sequential consistency, not linearizability,
// for reads); sync makes that member catch up with the leader first, so a
// read after it sees every write committed before the sync began.
//
// The library parses each reply by the type of the request it answers and
// drops the connection on a type it does not know, SYNC (9) among them. A
// SyncResponse has exactly a CreateResponse's shape (one path string), so
// the request put on the wire says SYNC while the library reads its reply as
// a create's. Only our request object changes: the library is not edited.
import jute from 'node-zookeeper-client/lib/jute/index.js';
import type { Client, Exception, JuteRecord } from 'node-zookeeper-client';

/** ZooKeeper's opcode for sync (ZooDefs.OpCode.sync). */
export const OP_SYNC = 9;

/** A request header that sends opcode SYNC but is answered, to the library, as a create. */
export function syncHeader(): JuteRecord & { xid: number; type: number } {
  return {
    xid: 0, // the connection manager numbers each request when it sends it
    type: jute.OP_CODES.CREATE,
    byteLength: () => 8,
    serialize(buffer: Buffer, offset: number): number {
      buffer.writeInt32BE(this.xid, offset);
      buffer.writeInt32BE(OP_SYNC, offset + 4);
      return 8;
    },
  };
}

/** SyncRequest { ustring path }. */
export function syncPayload(path: string): JuteRecord & { setChrootPath(chroot: string): void } {
  let full = path;
  return {
    setChrootPath(chroot: string) {
      full = chroot + (path === '/' ? '' : path);
    },
    byteLength: () => 4 + Buffer.byteLength(full),
    serialize(buffer: Buffer, offset: number): number {
      const n = buffer.write(full, offset + 4, 'utf8');
      buffer.writeInt32BE(n, offset);
      return 4 + n;
    },
  };
}

/** sync(path) on the client's session: resolves once its server has caught up with the leader. */
export function sync(client: Client, path: string): Promise<void> {
  const request = new jute.Request(syncHeader(), syncPayload(path));
  return new Promise((resolve, reject) => {
    client.connectionManager.queue(request, (error: Exception | null) => (error ? reject(error) : resolve()));
  });
}
