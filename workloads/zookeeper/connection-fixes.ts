// Two repairs to node-zookeeper-client 1.1.3's connection handling, made on
// each client's own connection manager (never inside node_modules):
//   1. A frame cut off when the socket closed (a partition, a killed member)
//      stays in its `pendingBuffer` and is glued in front of the next
//      connection's first bytes: the connect answer is misread, and a reply
//      error code of garbage makes it throw ("Unknown code: -396165120")
//      from the socket's data handler, which kills the whole controller.
//      The buffer is now dropped with the socket it came from.
//   2. Whatever still throws while a reply is parsed closes that connection,
//      as a protocol error should (its pending requests fail with
//      CONNECTION_LOSS: info), instead of escaping as an uncaught exception.
// The manager binds its handlers when it connects, so replacing them on the
// instance before connect() is enough.
import type { Client } from 'node-zookeeper-client';

interface ManagerInternals {
  pendingBuffer: Buffer | null;
  socket?: { destroy(): void };
  onSocketClosed(hadError: boolean): void;
  onSocketData(buffer: Buffer): void;
}

export function repairConnection(client: Client): void {
  const cm = client.connectionManager as unknown as ManagerInternals;
  const closed = cm.onSocketClosed;
  const data = cm.onSocketData;
  cm.onSocketClosed = function (this: ManagerInternals, hadError: boolean) {
    this.pendingBuffer = null;
    closed.call(this, hadError);
  };
  cm.onSocketData = function (this: ManagerInternals, buffer: Buffer) {
    try {
      data.call(this, buffer);
    } catch {
      this.pendingBuffer = null;
      this.socket?.destroy();
    }
  };
}
