// The client and admin HTTP API of a node (JSON in, JSON out).
//
//   POST /kv/get     {key}                 -> {ok, value}
//   POST /kv/put     {key, value}          -> {ok}
//   POST /kv/cas     {key, from, to}       -> {ok} | fail cas-mismatch (value = current)
//   POST /kv/delete  {key}                 -> {ok, value = previous}
//   POST /kv/txn     {ops: [[f, k, v]...]} -> {ok, ops with reads filled}; f in r | w | append
//   POST /kv/add     {key, delta}          -> {ok, value = new total}; absent counts as 0
//   POST /kv/transfer {key, from, to, amount} -> {ok} | fail insufficient-funds (value = balance of from)
//   (any body may carry timeoutMs)
//   GET  /admin/status                     -> role, term, leader, commit/applied index, hash, bugs
//   GET  /admin/hash?index=N[&timeoutMs=]  -> {index, hash}: state hash right after applying N (waits for it)
//   GET  /admin/keys                       -> {index, entries: [[key, value]...]}
//   GET  /admin/hashes?to=N                -> {entries: [[index, hash]...]}: every hash still remembered up to N
//   POST /admin/failpoint {name, armed}    -> {name, armed}: arm or disarm a crash point (failpoints.ts)
//   POST /admin/delay {probability, maxMs} -> {delay}: hold back that share of outgoing peer batches
//                                             for up to maxMs (probability 0 ends the fault)
//   GET  /health
//
// Every failed answer carries `outcome`: 'fail' (definitely did not happen;
// `leader` hints where to go on not-leader) or 'info' (unknown: timed out).
import * as http from 'node:http';
import type { Json, KvCommand, MicroOp } from './kv-state.ts';
import type { KvNode, Outcome } from './api.ts';
import { FAILPOINTS, isFailpoint, type Failpoint } from './failpoints.ts';
import { readJson, sendJson } from './http.ts';
import type { DelaySpec } from './transport.ts';

class BadRequest extends Error {}

function statusFor(o: Outcome): number {
  if (o.ok) return 200;
  if (o.outcome === 'info') return 504;
  if (o.error === 'not-leader') return 503;
  if (o.error === 'bad-command' || o.error === 'bad-request') return 400;
  return 409; // cas-mismatch, type-error, superseded
}

function key(body: Record<string, unknown>): string {
  if (typeof body.key !== 'string') throw new BadRequest('key must be a string');
  return body.key;
}

function has(body: Record<string, unknown>, field: string): Json {
  if (!(field in body)) throw new BadRequest(`${field} is required`);
  return body[field] as Json;
}

function number(body: Record<string, unknown>, field: string): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRequest(`${field} must be a number`);
  return v;
}

function microOps(body: Record<string, unknown>): MicroOp[] {
  const ops = body.ops;
  if (!Array.isArray(ops)) throw new BadRequest('ops must be an array of [f, key, value]');
  for (const op of ops) {
    if (!Array.isArray(op) || op.length !== 3 || !['r', 'w', 'append'].includes(op[0]) || typeof op[1] !== 'string') {
      throw new BadRequest(`bad micro-op ${JSON.stringify(op)}: want ['r' | 'w' | 'append', key, value]`);
    }
  }
  return ops as MicroOp[];
}

async function kvRoute(server: KvNode, op: string, body: Record<string, unknown>): Promise<Outcome> {
  const timeout = typeof body.timeoutMs === 'number' ? body.timeoutMs : server.config.requestTimeout;
  const write = (c: KvCommand) => server.write(c, timeout);
  switch (op) {
    case 'get': {
      const k = key(body);
      return server.read((kv) => ({ value: kv.get(k) ?? null }), timeout);
    }
    case 'put':
      return write({ op: 'put', key: key(body), value: has(body, 'value') });
    case 'cas':
      return write({ op: 'cas', key: key(body), from: has(body, 'from'), to: has(body, 'to') });
    case 'delete':
      return write({ op: 'delete', key: key(body) });
    case 'add':
      return write({ op: 'add', key: key(body), delta: number(body, 'delta') });
    case 'transfer':
      return write({ op: 'transfer', key: key(body), from: String(has(body, 'from')), to: String(has(body, 'to')), amount: number(body, 'amount') });
    case 'txn': {
      const ops = microOps(body);
      // Read-only transactions need no log entry: a ReadIndex read serves them.
      if (ops.every(([f]) => f === 'r')) return server.read((kv) => ({ ops: kv.read(ops) }), timeout);
      return write({ op: 'txn', ops });
    }
    default:
      throw new BadRequest(`unknown operation ${op}`);
  }
}

async function adminRoute(server: KvNode, url: URL, res: http.ServerResponse): Promise<void> {
  switch (url.pathname) {
    case '/admin/status':
      return sendJson(res, 200, server.status());
    case '/admin/keys':
      return sendJson(res, 200, server.keys());
    case '/admin/hashes': {
      const to = Number(url.searchParams.get('to') ?? Infinity);
      if (!(to >= 0)) throw new BadRequest('to must be a non-negative index');
      return sendJson(res, 200, { entries: server.hashHistory(to) });
    }
    case '/admin/hash': {
      const index = url.searchParams.get('index');
      if (index === null) {
        const s = server.status();
        return sendJson(res, 200, { index: s.appliedIndex, hash: s.hash });
      }
      const n = Number(index);
      if (!Number.isInteger(n) || n < 0) throw new BadRequest('index must be a non-negative integer');
      const timeout = Number(url.searchParams.get('timeoutMs') ?? server.config.requestTimeout);
      const got = await server.hashAt(n, timeout);
      if (got === 'timeout') return sendJson(res, 504, { error: 'timeout', appliedIndex: server.status().appliedIndex });
      if (got === 'gone') return sendJson(res, 410, { error: 'not-in-window', appliedIndex: server.status().appliedIndex });
      return sendJson(res, 200, got);
    }
    default:
      return sendJson(res, 404, { error: 'not-found' });
  }
}

function setFailpoint(server: KvNode, body: unknown): { name: Failpoint; armed: boolean } {
  const b = (body ?? {}) as Record<string, unknown>;
  const name = b.name;
  if (!isFailpoint(name)) throw new BadRequest(`unknown failpoint ${JSON.stringify(b.name)}; known: ${FAILPOINTS.join(', ')}`);
  if (typeof b.armed !== 'boolean') throw new BadRequest('armed must be true or false');
  server.setFailpoint(name, b.armed);
  return { name, armed: b.armed };
}

function setDelay(server: KvNode, body: unknown): DelaySpec | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const probability = number(b, 'probability');
  if (probability < 0 || probability > 1) throw new BadRequest('probability must be within [0, 1]');
  const delay = probability === 0 ? null : { probability, maxMs: number(b, 'maxMs') };
  if (delay && !(delay.maxMs > 0)) throw new BadRequest('maxMs must be positive');
  server.delayPeerMessages(delay);
  return delay;
}

export function serveClientApi(server: KvNode): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://node');
    const handle = async () => {
      if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { ok: true });
      if (req.method === 'GET' && url.pathname.startsWith('/admin/')) return adminRoute(server, url, res);
      if (req.method === 'POST' && url.pathname === '/admin/delay') return sendJson(res, 200, { delay: setDelay(server, await readJson(req)) });
      if (req.method === 'POST' && url.pathname === '/admin/failpoint') return sendJson(res, 200, setFailpoint(server, await readJson(req)));
      const m = /^\/kv\/([a-z]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !m) return sendJson(res, 404, { error: 'not-found' });
      const body = await readJson(req);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
      const outcome = await kvRoute(server, m[1], body as Record<string, unknown>);
      sendJson(res, statusFor(outcome), outcome);
    };
    handle().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) return;
      if (err instanceof BadRequest || err instanceof SyntaxError) {
        sendJson(res, 400, { ok: false, outcome: 'fail', error: 'bad-request', message });
      } else {
        // Something broke after the request may have reached the log: unknown.
        sendJson(res, 500, { ok: false, outcome: 'info', error: 'internal', message });
      }
    });
  });
}
