// The Maelstrom shim's entry, bundled into one .mjs (bundle.ts) and run with
// the image's /usr/bin/node beside each node (not under libfaketime: only the
// node's clock is faulted):
//   node maelstrom-shim.mjs --node n1 --peers n1=10.0.0.11:7071,n2=... \
//     --dir /faultline --process NAME [--client-port 7070] [--host 0.0.0.0]
//
// Peer messages travel as one UDP datagram each: Maelstrom's network may drop
// messages, and over UDP iptables partitions and loss drop exactly the
// messages they hit; TCP would retransmit, hiding loss and delivering a
// backlog of old messages after a heal. The HTTP side (the controller's
// requests) is shim.ts's /start, /rpc and /health.
import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { Shim, type Answer, type Peer } from './shim.ts';

/** Largest request body the HTTP side reads. */
const MAX_BODY = 1 << 20;

function peersOf(spec: string): Peer[] {
  return spec.split(',').map((entry) => {
    const m = /^([^=]+)=(.+):(\d+)$/.exec(entry.trim());
    if (!m) throw new Error(`--peers: ${JSON.stringify(entry)} is not NODE=HOST:PORT`);
    return { node: m[1], host: m[2], port: Number(m[3]) };
  });
}

const { values } = parseArgs({
  options: {
    node: { type: 'string' },
    peers: { type: 'string' },
    dir: { type: 'string' },
    process: { type: 'string' },
    'client-port': { type: 'string', default: '7070' },
    host: { type: 'string', default: '0.0.0.0' },
  },
});
for (const required of ['node', 'peers', 'dir', 'process'] as const) {
  if (!values[required]) throw new Error(`maelstrom shim: --${required} is required`);
}

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const peers = peersOf(values.peers!);
const self = peers.find((p) => p.node === values.node);
if (!self) throw new Error(`maelstrom shim: --node ${values.node} is not in --peers`);

const udp = createSocket('udp4');
const shim = new Shim({
  node: values.node!,
  peers,
  dir: values.dir!,
  process: values.process!,
  log,
  send: (text, peer) =>
    udp.send(text, peer.port, peer.host, (err) => {
      // EMSGSIZE (over 64 KB), or no route: the message is lost, as Maelstrom's network may lose it.
      if (err) log(`could not send to ${peer.node}: ${err.message}`);
    }),
});
udp.on('message', (buf) => shim.datagram(buf.toString('utf8')));
udp.on('error', (err) => log(`udp: ${err.message}`));
udp.bind(self.port, values.host);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (typeof value !== 'object' || value === null) throw new Error('request body must be a JSON object');
  return value as Record<string, unknown>;
}

async function answer(req: IncomingMessage): Promise<Answer> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/health') return { status: 200, body: shim.health() };
  if (req.method !== 'POST' || (path !== '/start' && path !== '/rpc')) return { status: 404, body: { error: `no ${req.method} ${path}: the shim answers POST /start, POST /rpc, GET /health` } };
  let body: Record<string, unknown>;
  try {
    body = await readJson(req);
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
  if (path === '/start') {
    return shim.start({ argv: body.argv as string[], env: (body.env ?? []) as string[], nodeIds: body.nodeIds as string[], initTimeoutMs: Number(body.initTimeoutMs) });
  }
  return shim.rpc({ body: body.body, timeoutMs: Number(body.timeoutMs) });
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  answer(req).then(
    (a) => res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body)),
    (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values['client-port']), values.host, () => log(`shim for ${values.node} listening: http ${values.host}:${values['client-port']}, udp ${self.port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    shim.stop();
    process.exit(0);
  });
}
