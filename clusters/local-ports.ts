// Loopback ports for servers the harness (or a test) starts as local processes.
import * as dgram from 'node:dgram';
import * as net from 'node:net';

/** Whether `port` can be bound on loopback right now (TCP, and UDP when asked). */
async function canBind(port: number, udp: boolean): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!tcp || !udp) return tcp;
  return new Promise<boolean>((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => resolve(false));
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}

const LOW = 20_000;
const SPAN = 12_000;
const SLICE = 1_000;
/** Ports this process handed out: a probe releases its port, so without this two calls could return the same one. */
const handedOut = new Set<number>();

/**
 * The range this process draws from. Test workers run side by side and each
 * probes then releases: two workers could both find one port free and race
 * for it. Each vitest worker (VITEST_POOL_ID 1..12) gets its own slice.
 */
function range(): { low: number; span: number } {
  const pool = Number(process.env.VITEST_POOL_ID);
  if (Number.isInteger(pool) && pool >= 1 && pool <= SPAN / SLICE) return { low: LOW + (pool - 1) * SLICE, span: SLICE };
  return { low: LOW, span: SPAN };
}

/**
 * A port for a server started later, drawn below Linux's ephemeral range
 * (32768-60999): a port the kernel handed out for a listen(0) probe is soon
 * reused as the source port of some outgoing connection, and the server then
 * fails with EADDRINUSE; ports outside the range are never taken that way.
 */
export async function freePort(opts: { udp?: boolean } = {}): Promise<number> {
  const { low, span } = range();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * span);
    if (handedOut.has(port)) continue;
    handedOut.add(port); // reserved before the probe, so concurrent calls skip it
    if (await canBind(port, opts.udp ?? false)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free loopback port in ${low}-${low + span - 1} after 200 tries`);
}
