// A small client for etcd's v3 HTTP/JSON gateway (fetch, no dependency).
// Keys and values travel base64-encoded; 64-bit integers arrive as strings.
import { abortAfter } from '../timeout.ts';
export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
export const unb64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

export class EtcdHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

/** POST a JSON body to a v3 gateway path and parse the JSON answer. */
export async function etcdPost<T>(endpoint: string, path: string, body: unknown, timeoutMs = 2000): Promise<T> {
  const res = await fetch(`${endpoint}/v3/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: abortAfter(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new EtcdHttpError(`etcd ${path}: HTTP ${res.status}: ${text.slice(0, 200)}`, res.status, text);
  return JSON.parse(text) as T;
}

export interface EtcdStatus {
  header: { member_id: string; raft_term: string; revision?: string };
  leader: string;
  raftIndex: string;
  raftTerm: string;
  version: string;
  /** Bytes of the backend file, and of it in use (3.4+): a defragment brings the first down to the second. */
  dbSize?: string;
  dbSizeInUse?: string;
}

export function status(endpoint: string, timeoutMs?: number): Promise<EtcdStatus> {
  return etcdPost<EtcdStatus>(endpoint, 'maintenance/status', {}, timeoutMs);
}

/**
 * etcd's raft.Status as its /debug/vars publishes it (etcd 3.4,
 * raft/status.go MarshalJSON): ids in hex, 0 for none. Progress is filled on
 * the leader only: each member's match, the leader's own being its last log
 * index.
 */
export interface EtcdRaftStatus {
  id: string;
  term: number;
  vote: string;
  commit: number;
  lead: string;
  raftState: string;
  applied: number;
  progress: Record<string, { match: number; next: number; state: string }>;
}

/** GET /debug/vars on the client port: the raft node's own view (term, vote, commit, the leader's progress). */
export async function raftStatus(endpoint: string, timeoutMs = 2000): Promise<EtcdRaftStatus> {
  const res = await fetch(`${endpoint}/debug/vars`, { signal: abortAfter(timeoutMs) });
  if (!res.ok) throw new EtcdHttpError(`etcd /debug/vars: HTTP ${res.status}`, res.status, '');
  const vars = (await res.json()) as { 'raft.status'?: EtcdRaftStatus };
  if (!vars['raft.status']) throw new Error('etcd /debug/vars has no raft.status');
  return vars['raft.status'];
}

export interface KeyValue {
  key: string;
  value: string;
  modRevision: number;
  version: number;
}

interface RawKv {
  key: string;
  value?: string;
  mod_revision?: string;
  version?: string;
}

export function decodeKv(kv: RawKv): KeyValue {
  return { key: unb64(kv.key), value: unb64(kv.value), modRevision: Number(kv.mod_revision ?? 0), version: Number(kv.version ?? 0) };
}

export async function put(endpoint: string, key: string, value: string, timeoutMs?: number): Promise<number> {
  const r = await etcdPost<{ header: { revision: string } }>(endpoint, 'kv/put', { key: b64(key), value: b64(value) }, timeoutMs);
  return Number(r.header.revision);
}

export async function get(
  endpoint: string,
  key: string,
  opts: { serializable?: boolean; timeoutMs?: number } = {},
): Promise<KeyValue | undefined> {
  const r = await etcdPost<{ kvs?: RawKv[] }>(
    endpoint,
    'kv/range',
    { key: b64(key), serializable: opts.serializable ?? false },
    opts.timeoutMs,
  );
  return r.kvs?.[0] ? decodeKv(r.kvs[0]) : undefined;
}

export interface Member {
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
}

export async function memberList(endpoint: string, timeoutMs?: number): Promise<Member[]> {
  const r = await etcdPost<{ members: Array<{ ID: string; name?: string; peerURLs?: string[]; clientURLs?: string[] }> }>(
    endpoint,
    'cluster/member/list',
    {},
    timeoutMs,
  );
  return r.members.map((m) => ({ id: m.ID, name: m.name ?? '', peerURLs: m.peerURLs ?? [], clientURLs: m.clientURLs ?? [] }));
}

/** Hash of the key-value store up to a revision (0 = current): replicas at the same revision must agree. */
export async function hashKV(endpoint: string, revision = 0, timeoutMs?: number): Promise<{ hash: string; compactRevision: string; revision: string }> {
  const r = await etcdPost<{ hash: number | string; compact_revision?: string; header: { revision: string } }>(
    endpoint,
    'maintenance/hashkv',
    { revision: String(revision) },
    timeoutMs,
  );
  return { hash: String(r.hash), compactRevision: r.compact_revision ?? '0', revision: r.header.revision };
}
