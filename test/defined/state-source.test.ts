// The divergence check's view of a defined system, against a local HTTP
// server standing in for the nodes (each node's answers by its name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { definedStateSource } from '../../harness/systems/defined-state.ts';
import type { DockerClusterInfo, StateHashProbe, SystemDefinition } from '../../clusters/index.ts';

/** Per node, the answers it gives in turn (the last one repeats). */
const script = new Map<string, unknown[]>();
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const node = req.url!.split('/').pop()!;
    const answers = script.get(node) ?? [];
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    res.writeHead(answer === undefined ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer ?? { error: 'down' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const nodes = ['n1', 'n2'];
function setup(probe: Omit<StateHashProbe, 'http'>) {
  const http = { port: 'admin', path: '/state/{name}', method: 'GET' as const };
  const def = { ports: { admin: port }, node: { peer: '{name}', peerSeparator: ',', dataDir: '/data' } } as unknown as SystemDefinition;
  const docker = { nodes: nodes.map((name) => ({ name, ip: '127.0.0.1' })), node: (name: string) => ({ name, ip: '127.0.0.1' }) };
  const info = { nodes, cluster: docker, urls: {} } as unknown as DockerClusterInfo;
  return definedStateSource(def, { http, ...probe }, info);
}

describe('definedStateSource', () => {
  it('with an index: waits until every node reports the same one, then reads each hash there', async () => {
    script.set('n1', [{ h: 'a', i: '5' }, { h: 'a', i: '5' }, { h: 'b', i: '6' }]);
    script.set('n2', [{ h: 'b', i: '6' }]);
    const source = setup({ hash: 'h', index: 'i' });
    const deadline = Date.now() + 5000;
    const index = await source.commonIndex(deadline);
    expect(index).toBe(6);
    expect(await source.report('n1', index, deadline)).toEqual({ node: 'n1', index: 6, hash: 'b' });
    expect(await source.report('n2', index, deadline)).toEqual({ node: 'n2', index: 6, hash: 'b' });
  });

  it('with an index: a node that never catches up is named when time runs out', async () => {
    script.set('n1', [{ h: 'a', i: 5 }]);
    script.set('n2', [{ h: 'b', i: 6 }]);
    await expect(setup({ hash: 'h', index: 'i' }).commonIndex(Date.now() + 600)).rejects.toThrow(/no common index: n1 5, n2 6/);
  });

  it('without an index: a hash that holds still for two readings', async () => {
    script.set('n1', [{ h: 1 }, { h: 2 }, { h: 3 }, { h: 3 }]);
    const source = setup({ hash: 'h' });
    const deadline = Date.now() + 5000;
    expect(await source.commonIndex(deadline)).toBe(0);
    expect(await source.report('n1', 0, deadline)).toEqual({ node: 'n1', index: 0, hash: '3' });
  });

  it('a missing hash field says what came instead', async () => {
    script.set('n1', [{ other: 1 }]);
    await expect(setup({ hash: 'h' }).report('n1', 0, Date.now() + 500)).rejects.toThrow(/stateHash field h is missing/);
  });
});
