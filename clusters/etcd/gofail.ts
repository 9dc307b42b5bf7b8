// The gofail HTTP endpoint of etcd's failpoint build (GOFAIL_HTTP): list,
// arm (PUT /<path> with a term) and disarm (DELETE /<path>) failpoints.
import { abortAfter } from '../timeout.ts';
import { parseGofailList } from './failpoints.ts';

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { ...init, signal: abortAfter(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`gofail ${init.method ?? 'GET'} ${url}: HTTP ${res.status}: ${text.trim().slice(0, 200)}`);
  return text;
}

/** Every failpoint the process has: path -> armed term ('' when off). */
export async function listFailpoints(endpoint: string, timeoutMs = 2000): Promise<Map<string, string>> {
  return parseGofailList(await call(`${endpoint}/`, { method: 'GET' }, timeoutMs));
}

/** Arm `path` with a gofail term, or disarm it (null). */
export async function setFailpointTerm(endpoint: string, path: string, term: string | null, timeoutMs = 2000): Promise<void> {
  await call(`${endpoint}/${path}`, term === null ? { method: 'DELETE' } : { method: 'PUT', body: term }, timeoutMs);
}
