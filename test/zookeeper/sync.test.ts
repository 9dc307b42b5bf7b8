// sync() for node-zookeeper-client, against a fake server that speaks the
// wire protocol: the request goes out as opcode 9 with its path, the reply is
// taken on the same connection; the library alone drops the connection on a
// SYNC reply. And the connection repair: a reply cut off by a closing socket
// no longer poisons the next connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import zookeeper from 'node-zookeeper-client';
import jute from 'node-zookeeper-client/lib/jute/index.js';
import { OP_SYNC, sync, syncHeader, syncPayload, ZkSession } from '../../workloads/zookeeper/index.ts';
import { fakeZooKeeper, type FakeZooKeeper } from './fake-server.ts';

let server: FakeZooKeeper;
const sessions: ZkSession[] = [];
const open = async () => {
  const s = await ZkSession.open({ address: `127.0.0.1:${server.port}`, sessionTimeoutMs: 4000, requestTimeoutMs: 2000 });
  sessions.push(s);
  return s;
};

beforeEach(async () => {
  server = await fakeZooKeeper();
});
afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  await server.close();
});

describe('sync request', () => {
  it('puts opcode 9 and the path on the wire, numbered like any request', () => {
    const header = syncHeader();
    header.xid = 42;
    const bytes = new jute.Request(header, syncPayload('/faultline/register/3')).toBuffer();
    expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
    expect(bytes.readInt32BE(4)).toBe(42);
    expect(bytes.readInt32BE(8)).toBe(OP_SYNC);
    expect(bytes.subarray(16).toString()).toBe('/faultline/register/3');
    expect(bytes.readInt32BE(12)).toBe('/faultline/register/3'.length);
  });

  it('prefixes a chroot like the library does for its own requests', () => {
    const payload = syncPayload('/a');
    payload.setChrootPath('/root');
    const b = Buffer.alloc(payload.byteLength());
    payload.serialize(b, 0);
    expect(b.subarray(4).toString()).toBe('/root/a');
  });
});

describe('sync against a server', () => {
  it('resolves on the reply and keeps the connection', async () => {
    const s = await open();
    await s.sync('/faultline/register/1');
    await expect(s.getData('/x')).rejects.toMatchObject({ name: 'NO_NODE' });
    expect(server.seen).toEqual([{ type: OP_SYNC, path: '/faultline/register/1' }, { type: 4, path: '/x' }]);
    expect(server.connections).toBe(1);
  });

  it('is needed: a plain request with opcode 9 makes the library drop its connection and lose the request', async () => {
    const s = await open();
    const header = syncHeader();
    // The library's own header type would be SYNC: it cannot parse that reply.
    Object.defineProperty(header, 'type', { value: jute.OP_CODES.SYNC });
    let answered = false;
    s.client.connectionManager.queue(new jute.Request(header, syncPayload('/y')), () => (answered = true));
    await expect.poll(() => server.connections).toBe(2);
    // The reply was taken off the queue and thrown away with the socket: the caller never hears back.
    expect(answered).toBe(false);
  });

  it('rejects with the session error when the session is gone', async () => {
    const s = await open();
    s.close();
    await expect(sync(s.client, '/z')).rejects.toBeInstanceOf(zookeeper.Exception);
  });
});

describe('connection repair', () => {
  it('a reply cut off by a closing socket does not poison the next connection', async () => {
    const s = await open();
    server.cutNextSyncReply = true;
    await expect(s.sync('/cut')).rejects.toMatchObject({ name: 'CONNECTION_LOSS' });
    await expect.poll(() => server.connections).toBe(2);
    // The new connection's first bytes (the connect answer) are read as such: requests work again.
    await s.sync('/after');
    expect(server.seen.map((r) => r.path)).toEqual(['/cut', '/after']);
  });
});
