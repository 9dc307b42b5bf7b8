// ZooKeeper's four-letter words on the client port (`srvr`: mode and last
// zxid), spoken over a plain TCP connection: the member answers and closes.
import { connect } from 'node:net';

/** Send a four-letter word to host:port and return the whole answer. */
export function fourLetterWord(address: string, word: string, timeoutMs: number): Promise<string> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`${word} to ${address}: no answer within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.end(word));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export interface SrvrAnswer {
  /** leader, follower, observer or standalone. */
  mode: string;
  /** The last zxid the member processed (epoch << 32 | counter). */
  zxid: bigint;
  /** Znodes in the member's tree ("Node count"), when it says. */
  nodeCount?: number;
}

/** Parse `srvr`: "Zxid: 0x100000002", "Mode: follower" and "Node count: 12" lines. A member out of quorum answers that it is not serving. */
export function parseSrvr(text: string): SrvrAnswer {
  const zxid = /^Zxid: (0x[0-9a-fA-F]+)$/m.exec(text)?.[1];
  const mode = /^Mode: (\S+)$/m.exec(text)?.[1];
  if (zxid === undefined || mode === undefined) throw new Error(`not serving: ${text.trim().split('\n')[0] || 'empty answer'}`);
  const nodeCount = /^Node count: (\d+)$/m.exec(text)?.[1];
  return { mode, zxid: BigInt(zxid), ...(nodeCount === undefined ? {} : { nodeCount: Number(nodeCount) }) };
}
