// Asking a node of a defined system something from the host: an HTTP probe
// (ready, leader, stateHash), a TCP connect, a command inside the node. Each
// answers with what it saw, so a failure can be explained.
import { connect } from 'node:net';
import { errorText } from '../../history/index.ts';
import type { NodeCluster } from '../node-cluster.ts';
import { expandPlaceholders, nodeValues, type PlaceholderValues } from './placeholders.ts';
import type { PortRef, SystemDefinition } from './schema.ts';
import { abortAfter } from '../timeout.ts';

/** How long one probe may take. */
export const PROBE_TIMEOUT_MS = 2000;

/** A port by name in `ports`, or the number itself. */
export function resolvePort(def: SystemDefinition, ref: PortRef): number {
  if (typeof ref === 'number') return ref;
  const port = def.ports[ref];
  if (port === undefined) throw new Error(`no port ${ref} in ports`);
  return port;
}

/** The placeholder values of one node of a running cluster. */
export function valuesOn(def: SystemDefinition, c: NodeCluster, node: string): PlaceholderValues {
  return nodeValues(c.nodes.map((n) => ({ name: n.name, ip: n.ip })), node, {
    peer: def.node.peer,
    peerSeparator: def.node.peerSeparator,
    dataDir: def.node.dataDir,
    ports: def.ports,
  });
}

export interface HttpProbeSpec {
  port: PortRef;
  path: string;
  method: 'GET' | 'POST' | 'PUT';
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json?: unknown;
}

/** Send a probe to a node; rejects on a network error or timeout. */
export async function httpProbe(def: SystemDefinition, c: NodeCluster, node: string, probe: HttpProbeSpec, timeoutMs = PROBE_TIMEOUT_MS): Promise<HttpAnswer> {
  const url = `http://${c.node(node).ip}:${resolvePort(def, probe.port)}${expandPlaceholders(probe.path, valuesOn(def, c, node))}`;
  const res = await fetch(url, {
    method: probe.method,
    ...(probe.body === undefined ? {} : { body: JSON.stringify(probe.body), headers: { 'content-type': 'application/json' } }),
    signal: abortAfter(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A probe's JSON answer, or an Error saying what came back instead. */
export async function httpJson(def: SystemDefinition, c: NodeCluster, node: string, probe: HttpProbeSpec, timeoutMs = PROBE_TIMEOUT_MS): Promise<unknown> {
  const a = await httpProbe(def, c, node, probe, timeoutMs);
  if (a.status < 200 || a.status > 299) throw new Error(`${probe.method} ${probe.path}: HTTP ${a.status} ${a.text.slice(0, 120)}`);
  if (a.json === undefined) throw new Error(`${probe.method} ${probe.path}: answer is not JSON: ${a.text.slice(0, 120)}`);
  return a.json;
}

/** Resolves when a TCP connection to ip:port opens; rejects with why not. */
export function tcpConnect(ip: string, port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ip, port });
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no connection within ${timeoutMs} ms`)));
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) => done(new Error(e.code === 'ECONNREFUSED' ? 'connection refused' : e.message)));
  });
}

/** Why a node is not ready by the definition's `ready` probe (default: a TCP connect to the client port); undefined when it is. */
export async function readyProblem(def: SystemDefinition, c: NodeCluster, node: string): Promise<string | undefined> {
  const ready = def.ready ?? (def.client.protocol === 'maelstrom' ? undefined : { kind: 'tcp' as const, port: def.client.port });
  if (!ready) return undefined;
  try {
    switch (ready.kind) {
      case 'tcp':
        await tcpConnect(c.node(node).ip, resolvePort(def, ready.port));
        return undefined;
      case 'http': {
        const a = await httpProbe(def, c, node, ready);
        const fine = ready.status === undefined ? a.status >= 200 && a.status <= 299 : a.status === ready.status;
        return fine ? undefined : `${ready.method} ${ready.path} on port ${resolvePort(def, ready.port)} answered HTTP ${a.status}${ready.status === undefined ? '' : ` (ready means ${ready.status})`}: ${a.text.trim().slice(0, 120)}`;
      }
      case 'command': {
        const argv = ready.command.map((a) => expandPlaceholders(a, valuesOn(def, c, node)));
        const r = await c.exec(node, argv, { timeoutMs: 10_000 });
        return r.exitCode === 0 ? undefined : `${argv.join(' ')} exited ${r.exitCode}${(r.stderr || r.stdout).trim() ? `: ${(r.stderr || r.stdout).trim().slice(0, 160)}` : ''}`;
      }
    }
  } catch (err) {
    const what = ready.kind === 'tcp' ? `TCP connect to port ${resolvePort(def, ready.port)}` : ready.kind === 'http' ? `${ready.method} ${ready.path} on port ${resolvePort(def, ready.port)}` : 'ready command';
    return `${what}: ${causeText(err)}`;
  }
}

/** fetch hides the network error in `cause`. */
export function causeText(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if ((err as Error)?.name === 'TimeoutError') return `no answer within ${PROBE_TIMEOUT_MS} ms`;
  return cause?.message ?? errorText(err);
}
