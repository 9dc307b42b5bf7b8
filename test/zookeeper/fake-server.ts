// A ZooKeeper server just big enough to test our extensions of
// node-zookeeper-client (sync, the connection repairs) without a JVM: it
// answers connect, sync (with its path), ping and close; every other request
// gets NoNode. It records each request's opcode and path, counts
// connections, and can cut its next sync reply in half and drop the socket.
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeZooKeeper {
  port: number;
  /** Requests seen, in order: opcode and, when the request has one first, the path. */
  seen: Array<{ type: number; path?: string }>;
  connections: number;
  /** Send only the first bytes of the next sync reply, then close the connection. */
  cutNextSyncReply: boolean;
  close(): Promise<void>;
}

const frame = (body: Buffer): Buffer => Buffer.concat([int(body.length), body]);
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const ustring = (s: string): Buffer => Buffer.concat([int(Buffer.byteLength(s)), Buffer.from(s)]);
const replyHeader = (xid: number, err: number): Buffer => Buffer.concat([int(xid), long(7), int(err)]);

export async function fakeZooKeeper(): Promise<FakeZooKeeper> {
  const sockets = new Set<Socket>();
  const state: FakeZooKeeper = { port: 0, seen: [], connections: 0, cutNextSyncReply: false, close: async () => undefined };

  const serve = (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let connected = false;
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const body = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + body.length);
        if (!connected) {
          connected = true;
          // ConnectResponse: protocol version, session timeout, session id, password.
          socket.write(frame(Buffer.concat([int(0), int(4000), long(0x1234), int(16), Buffer.alloc(16, 1)])));
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        const path = body.length >= 12 ? body.subarray(12, 12 + body.readInt32BE(8)).toString() : undefined;
        if (type === 11) {
          socket.write(frame(replyHeader(xid, 0)));
          continue;
        }
        state.seen.push({ type, ...(type === -11 ? {} : { path }) });
        if (type === -11) {
          socket.end(frame(replyHeader(xid, 0)));
        } else if (type === 9) {
          const reply = frame(Buffer.concat([replyHeader(xid, 0), ustring(path ?? '')]));
          if (state.cutNextSyncReply) {
            state.cutNextSyncReply = false;
            socket.write(reply.subarray(0, 10));
            setTimeout(() => socket.destroy(), 20);
          } else {
            socket.write(reply);
          }
        } else {
          socket.write(frame(replyHeader(xid, -101)));
        }
      }
    });
  };

  const server: Server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as { port: number }).port;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}
