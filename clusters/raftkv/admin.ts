// The raftkv admin API seen from the controller: status, state hash at an
// applied index, and the full key listing. Small functions over a node's
// client URL (http://ip:8080), shared by the DB definition (health, leader)
// and whoever compares nodes' states (a divergence checker: "do all nodes
// hash the same right after entry N?").
import type { Json } from '../../raftkv/index.ts';
import type { ServerStatus } from '../../raftkv/index.ts';
import type { DelaySpec } from '../../raftkv/index.ts';
import type { Failpoint } from '../../raftkv/index.ts';
import { abortAfter } from '../timeout.ts';

async function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  const res = await fetch(url, { signal: abortAfter(timeoutMs) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${body.error ?? ''}`.trim());
  return body;
}

/** GET /admin/status: role, term, leader, indexes, current hash, bugs, the node's wall clock. */
export function nodeStatus(url: string, timeoutMs = 1000): Promise<ServerStatus> {
  return getJson(`${url}/admin/status`, timeoutMs);
}

export type HashAt = { index: number; hash: string } | { index: number; missing: 'timeout' | 'not-in-window' };

/**
 * State hash right after the node applied `index` (it waits up to `timeoutMs`
 * for the index to be applied). `missing` when it was not applied in time or
 * is no longer remembered (outside the window, or skipped by a snapshot).
 */
export async function stateHashAt(url: string, index: number, timeoutMs = 5000): Promise<HashAt> {
  const res = await fetch(`${url}/admin/hash?index=${index}&timeoutMs=${timeoutMs}`, { signal: abortAfter(timeoutMs + 1000) });
  const body = (await res.json()) as { index?: number; hash?: string; error?: string };
  if (res.status === 200 && typeof body.hash === 'string') return { index, hash: body.hash };
  if (res.status === 504) return { index, missing: 'timeout' };
  if (res.status === 410) return { index, missing: 'not-in-window' };
  throw new Error(`GET ${url}/admin/hash?index=${index}: HTTP ${res.status} ${body.error ?? ''}`.trim());
}

/** Every node's hash at the same index, by node name (urls: node -> client URL). */
export async function stateHashes(urls: Record<string, string>, index: number, timeoutMs = 5000): Promise<Record<string, HashAt>> {
  const entries = await Promise.all(Object.entries(urls).map(async ([node, url]) => [node, await stateHashAt(url, index, timeoutMs)] as const));
  return Object.fromEntries(entries);
}

/** GET /admin/keys: the node's applied index and its whole state, sorted by key (for diffing diverged nodes). */
export function stateKeys(url: string, timeoutMs = 5000): Promise<{ index: number; entries: [string, Json][] }> {
  return getJson(`${url}/admin/keys`, timeoutMs);
}

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: abortAfter(timeoutMs),
  });
  const answer = (await res.json()) as { error?: string; message?: string };
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${answer.message ?? answer.error ?? ''}`.trim());
}

/** POST /admin/delay: start holding back the node's outgoing peer batches, or with null stop. */
export function setPeerDelay(url: string, delay: DelaySpec | null, timeoutMs = 5000): Promise<void> {
  return postJson(`${url}/admin/delay`, delay ?? { probability: 0 }, timeoutMs);
}

/** POST /admin/failpoint: arm or disarm one of the server's crash points. */
export function setFailpoint(url: string, name: Failpoint, armed: boolean, timeoutMs = 5000): Promise<void> {
  return postJson(`${url}/admin/failpoint`, { name, armed }, timeoutMs);
}
