// The http-kv register client over real HTTP: against stand-in nodes on
// loopback whose answers each test scripts (redirects by name and by HTTP
// Location, the hop bound, timeouts, refused connections, what each request
// carries), and against faultline's own raftkv servers (LocalCluster, the
// bundle the containers run) described by the raftkv-http example.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpKvSchema, type HttpKvProtocol } from '../../clusters/defined/schema.ts';
import { LocalCluster } from '../../clusters/raftkv/local-cluster.ts';
import type { Op } from '../../history/op.ts';
import { HttpKvRegisterClient } from '../../workloads/http-kv/index.ts';

const op = (f: string, value: unknown): Op => ({ index: 0, time: 0, process: 0, type: 'invoke', f, value });

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Handler = (req: Seen, res: http.ServerResponse) => void;

/** Stand-in nodes n1..n3 on loopback; each answers with the handler a test gives it. */
class FakeNodes {
  readonly seen: Record<string, Seen[]> = { n1: [], n2: [], n3: [] };
  readonly handlers: Record<string, Handler> = {};
  readonly urls: Record<string, string> = {};
  private readonly servers: http.Server[] = [];

  async start(): Promise<void> {
    for (const name of ['n1', 'n2', 'n3']) {
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const seen = { method: req.method!, url: req.url!, headers: req.headers, body };
          this.seen[name].push(seen);
          (this.handlers[name] ?? ((_, r) => r.writeHead(500).end('no handler')))(seen, res);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      this.servers.push(server);
      this.urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  }

  reset(): void {
    for (const k of Object.keys(this.seen)) this.seen[k] = [];
    for (const k of Object.keys(this.handlers)) delete this.handlers[k];
  }

  async stop(): Promise<void> {
    for (const s of this.servers) s.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }
}

const json = (status: number, body: unknown): Handler => (_, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const protocol: HttpKvProtocol = httpKvSchema.parse({
  protocol: 'http-kv',
  port: 1,
  headers: { authorization: 'Bearer test' },
  read: { method: 'GET', path: '/v1/kv/{key}', value: 'value', notFound: { status: 404 } },
  write: { method: 'PUT', path: '/v1/kv/{key}', body: { value: '{value}', note: 'key {key}' } },
  cas: { method: 'PUT', path: '/v1/kv/{key}?cas={from}', body: { value: '{to}' }, mismatch: { status: 412 } },
  redirect: { when: { status: 503, field: 'error', equals: 'not leader' }, leader: 'leader' },
});

const nodes = new FakeNodes();
beforeAll(() => nodes.start());
afterEach(() => nodes.reset());
afterAll(() => nodes.stop());

async function client(p: HttpKvProtocol = protocol, timeoutMs = 2000, node = 'n1'): Promise<HttpKvRegisterClient> {
  const c = new HttpKvRegisterClient({ urls: nodes.urls, timeoutMs, protocol: p });
  await c.open(node);
  return c;
}

describe('the http-kv client against scripted nodes', () => {
  it('sends the filled-in template with the definition\'s headers, the key URL-encoded', async () => {
    nodes.handlers.n1 = json(200, { ok: true });
    expect(await (await client()).invoke(op('write', ['a b/7', 5]))).toEqual({ type: 'ok', value: ['a b/7', 5] });
    const [seen] = nodes.seen.n1;
    expect(seen).toMatchObject({ method: 'PUT', url: '/v1/kv/a%20b%2F7', headers: { authorization: 'Bearer test', 'content-type': 'application/json' } });
    expect(JSON.parse(seen.body)).toEqual({ value: 5, note: 'key a b/7' });
  });

  it('reads a value, a missing key as null, and sends a GET without a body', async () => {
    nodes.handlers.n1 = (req, res) => (req.url.endsWith('/1') ? json(200, { value: '8' })(req, res) : res.writeHead(404).end('not found'));
    const c = await client();
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, 8] });
    expect(await c.invoke(op('read', [2, null]))).toEqual({ type: 'ok', value: [2, null] });
    expect(nodes.seen.n1.map((s) => [s.method, s.body, s.headers['content-type']])).toEqual([['GET', '', undefined], ['GET', '', undefined]]);
  });

  it('follows a redirect to the node the answer names, and an HTTP 307 to the node at its Location', async () => {
    nodes.handlers.n1 = json(503, { error: 'not leader', leader: 'n2' });
    nodes.handlers.n2 = (_, res) => res.writeHead(307, { location: `${nodes.urls.n3}/elsewhere` }).end();
    nodes.handlers.n3 = json(200, {});
    expect(await (await client()).invoke(op('cas', [4, [1, 2]]))).toEqual({ type: 'ok', value: [4, [1, 2]] });
    expect([nodes.seen.n1.length, nodes.seen.n2.length, nodes.seen.n3.length]).toEqual([1, 1, 1]);
    expect(nodes.seen.n3[0]).toMatchObject({ method: 'PUT', url: '/v1/kv/4?cas=1' }); // the template's path, not the Location's
  });

  it('gives up after a bounded number of redirects while no leader is named: a fail, the op was never taken', async () => {
    nodes.handlers.n1 = json(503, { error: 'not leader', leader: null });
    const started = Date.now();
    const done = await (await client()).invoke(op('write', [1, 1]));
    expect(done).toMatchObject({ type: 'fail', error: expect.stringMatching(/^redirect: HTTP 503/) });
    expect(nodes.seen.n1.length).toBe(9); // the first attempt and 8 hops, each after an election pause
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a cas mismatch is a fail; an answer nothing describes leaves a write unknown and fails a read', async () => {
    nodes.handlers.n1 = (req, res) => res.writeHead(req.method === 'GET' ? 503 : req.url.includes('cas') ? 412 : 400).end('no');
    const c = await client();
    expect(await c.invoke(op('cas', [1, [1, 2]]))).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(await c.invoke(op('write', [1, 3]))).toEqual({ type: 'info', error: 'HTTP 400: no' });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'fail', error: 'HTTP 503: no' });
  });

  it('a node that never answers: the write is info (it may have happened), the read a fail, both within the op timeout', async () => {
    nodes.handlers.n1 = () => {}; // hangs
    const c = await client(protocol, 600);
    const started = Date.now();
    expect(await c.invoke(op('write', [1, 1]))).toEqual({ type: 'info', error: 'timeout' });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'fail', error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a refused connection is a fail even for a write: it was never sent', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = new HttpKvRegisterClient({ urls: { n1: `http://127.0.0.1:${port}` }, timeoutMs: 1000, protocol });
    await c.open('n1');
    expect(await c.invoke(op('write', [1, 1]))).toMatchObject({ type: 'fail', error: expect.stringContaining('ECONNREFUSED') });
  });

  it('sends values as strings with valueType "string", and the definition\'s own content-type', async () => {
    nodes.handlers.n1 = json(200, {});
    await (await client({ ...protocol, valueType: 'string', headers: { 'Content-Type': 'application/vnd.kv+json' } })).invoke(op('cas', [1, [5, 6]]));
    expect(nodes.seen.n1[0]).toMatchObject({ url: '/v1/kv/1?cas=5', headers: { 'content-type': 'application/vnd.kv+json' } });
    expect(JSON.parse(nodes.seen.n1[0].body)).toEqual({ value: '6' });
  });
});

describe('the http-kv client against raftkv servers, as the raftkv-http example describes them', () => {
  const example = JSON.parse(readFileSync(new URL('../../examples/raftkv-http/system.json', import.meta.url), 'utf8')) as { client: unknown };
  const raftkv = httpKvSchema.parse(example.client);
  let cluster: LocalCluster;
  let urls: Record<string, string>;
  let follower: string;

  beforeAll(async () => {
    cluster = await LocalCluster.create(3);
    await cluster.startAll();
    const leader = await cluster.leader();
    follower = cluster.nodes.find((n) => n.id !== leader)!.id;
    urls = Object.fromEntries(cluster.nodes.map((n) => [n.id, `http://127.0.0.1:${n.clientPort}`]));
  }, 60_000);
  afterAll(async () => cluster?.stopAll());

  it('write, read and cas through a follower (not-leader answers followed to the leader); a cas mismatch is a fail', async () => {
    const c = new HttpKvRegisterClient({ urls, timeoutMs: 5000, protocol: raftkv });
    await c.open(follower);
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, null] });
    expect(await c.invoke(op('write', [1, 10]))).toEqual({ type: 'ok', value: [1, 10] });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, 10] });
    expect(await c.invoke(op('cas', [1, [10, 11]]))).toEqual({ type: 'ok', value: [1, [10, 11]] });
    expect(await c.invoke(op('cas', [1, [10, 12]]))).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, 11] });
    expect((await cluster.keys(follower)).entries).toContainEqual(['register/1', 11]);
  });
});
