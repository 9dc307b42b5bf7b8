// The peer transport against a real HTTP listener: batches go out at once,
// and under the delay fault a held batch is overtaken by later ones.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerTransport } from '../../raftkv/transport.ts';
import type { Message } from '../../raftkv/raft/messages.ts';

let server: Server | undefined;
let transport: PeerTransport | undefined;
afterEach(() => {
  transport?.close();
  server?.close();
});

/** A peer that records the terms of the messages it receives, in arrival order, with arrival times. */
async function peer(): Promise<{ url: string; got: Array<{ term: number; at: number }> }> {
  const got: Array<{ term: number; at: number }> = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      for (const m of JSON.parse(body) as Message[]) got.push({ term: m.term, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

const heartbeat = (term: number): Message => ({ type: 'prevote', from: 'n1', to: 'n2', term, lastLogIndex: 0, lastLogTerm: 0 });
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('raftkv peer transport', () => {
  it('without a delay, batches arrive in the order sent', async () => {
    const p = await peer();
    transport = new PeerTransport(new Map([['n2', p.url]]), { maxInFlight: 1 });
    for (let t = 1; t <= 3; t++) transport.send([heartbeat(t)]);
    await until(() => p.got.length === 3);
    expect(p.got.map((g) => g.term)).toEqual([1, 2, 3]);
  });

  it('a held batch arrives late, after batches sent once the delay ended', async () => {
    const p = await peer();
    // random() = 0.5: every batch is held (0.5 < 1), for half of maxMs.
    transport = new PeerTransport(new Map([['n2', p.url]]), { random: () => 0.5 });
    transport.setDelay({ probability: 1, maxMs: 400 });
    expect(transport.getDelay()).toEqual({ probability: 1, maxMs: 400 });
    const sent = Date.now();
    transport.send([heartbeat(1)]);
    transport.setDelay(null);
    transport.send([heartbeat(2)]);
    await until(() => p.got.length === 2);
    expect(p.got.map((g) => g.term)).toEqual([2, 1]);
    expect(p.got[1].at - sent).toBeGreaterThanOrEqual(190);
    expect(transport.getDelay()).toBeNull();
  });

  it('probability below the draw sends at once', async () => {
    const p = await peer();
    transport = new PeerTransport(new Map([['n2', p.url]]), { random: () => 0.5 });
    transport.setDelay({ probability: 0.4, maxMs: 5_000 });
    const sent = Date.now();
    transport.send([heartbeat(1)]);
    await until(() => p.got.length === 1);
    expect(p.got[0].at - sent).toBeLessThan(1_000);
  });
});
