// Read-modify-write transactions on etcd, as Jepsen's etcd tests do them:
// etcd's Txn cannot compute, so a transaction is
//   1. one Txn of ranges: every key it depends on, read at one revision;
//   2. the new values computed here from that snapshot;
//   3. one Txn that writes them only if no key read has changed since
//      (compare mod_revision == the revision read; an absent key compares as 0).
// A failed guard means nothing was written: read again and retry, a bounded
// number of times, then give up with `fail`. Guarding every key *read* (not
// only those written) is what makes the whole transaction serializable: a
// read-only key that changed in between would otherwise be a stale read
// mixed into the write (write skew).
//
// Outcomes: an error while reading is `fail` (nothing was written yet); an
// error on the guarded write is whatever outcome.ts says (usually info); a
// plan that aborts (e.g. insufficient funds) is `fail`.
import { b64, decodeKv, type KeyValue } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import { completionAfterError, errorText } from './outcome.ts';

const RETRY_JITTER_MS = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The client's POST to a v3 gateway path (EtcdClient.post, bound). */
export type EtcdPost = <T>(path: string, body: unknown) => Promise<T>;

type RawKv = Parameters<typeof decodeKv>[0];

interface TxnResponse {
  header?: { revision?: string };
  succeeded?: boolean;
  responses?: Array<{ response_range?: { kvs?: RawKv[] } }>;
}

/** What a read-modify-write does with the values it read (absent keys are missing from the map). */
export type Plan<R> = { abort: string } | { writes: ReadonlyMap<string, string>; result: R };

export interface GuardedTxnOptions {
  /** Write attempts before giving up (each after a fresh read). */
  maxAttempts: number;
  /**
   * No new attempt starts this long (ms) after the first began: past the run
   * loop's op timeout the op would be recorded info while retries went on in
   * the background; stopping early keeps a lost race a definite fail. Default: no limit.
   */
  retryWindowMs?: number;
  /** Serve the read step from the local member (may be stale: the guard still catches it for writes). */
  serializable: boolean;
  /**
   * Deliberately broken: write without the mod_revision guard, so concurrent
   * read-modify-writes lose updates. Only for showing that the checkers catch it.
   */
  unsafeSkipGuard?: boolean;
}

/** Reads `keys` in one Txn: one revision, all or nothing. */
export async function readKeys(post: EtcdPost, keys: readonly string[], serializable: boolean): Promise<Map<string, KeyValue>> {
  const snapshot = new Map<string, KeyValue>();
  if (keys.length === 0) return snapshot;
  const r = await post<TxnResponse>('kv/txn', { success: keys.map((k) => ({ request_range: { key: b64(k), serializable } })) });
  for (const resp of r.responses ?? []) {
    for (const raw of resp.response_range?.kvs ?? []) {
      const kv = decodeKv(raw);
      snapshot.set(kv.key, kv);
    }
  }
  return snapshot;
}

export async function guardedReadModifyWrite<R>(
  post: EtcdPost,
  keys: readonly string[],
  plan: (snapshot: ReadonlyMap<string, KeyValue>) => Plan<R>,
  opts: GuardedTxnOptions,
): Promise<Completion> {
  const giveUpAt = Date.now() + (opts.retryWindowMs ?? Infinity);
  let attempt = 0;
  while (attempt < opts.maxAttempts && (attempt === 0 || Date.now() < giveUpAt)) {
    attempt++;
    // Competing writers that lost the same race would collide again at once:
    // a short random pause (client timing only, never the op schedule) spreads them.
    if (attempt > 1) await sleep(Math.random() * RETRY_JITTER_MS * attempt);
    let snapshot: Map<string, KeyValue>;
    try {
      snapshot = await readKeys(post, keys, opts.serializable);
    } catch (err) {
      return { type: 'fail', error: `read: ${errorText(err)}` };
    }
    const p = plan(snapshot);
    if ('abort' in p) return { type: 'fail', error: p.abort };
    // Nothing to write: the read alone is the transaction.
    if (p.writes.size === 0) return { type: 'ok', value: p.result };
    let r: TxnResponse;
    try {
      r = await post<TxnResponse>('kv/txn', {
        compare: opts.unsafeSkipGuard ? [] : keys.map((k) => ({ key: b64(k), target: 'MOD', result: 'EQUAL', mod_revision: String(snapshot.get(k)?.modRevision ?? 0) })),
        success: [...p.writes].map(([key, value]) => ({ request_put: { key: b64(key), value: b64(value) } })),
      });
    } catch (err) {
      return completionAfterError(err, { readOnly: false });
    }
    // The gateway omits false booleans: no `succeeded` means a guard failed and nothing was written.
    if (r.succeeded) return { type: 'ok', value: p.result };
  }
  return { type: 'fail', error: `guard failed ${attempt === 1 ? 'once' : `${attempt} times`}: other writers kept changing the keys` };
}

/** Every key under a prefix, from one range (one revision). keysOnly leaves values out (they decode as ''). */
export async function readPrefix(post: EtcdPost, prefix: string, opts: { serializable: boolean; keysOnly?: boolean }): Promise<KeyValue[]> {
  const r = await post<{ kvs?: RawKv[] }>('kv/range', {
    key: b64(prefix),
    range_end: b64(prefixEnd(prefix)),
    serializable: opts.serializable,
    keys_only: opts.keysOnly ?? false,
  });
  return (r.kvs ?? []).map(decodeKv);
}

/** etcd's range_end for a prefix: the prefix with its last character incremented (ASCII prefixes like 'set/'). */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (!(last < 0x7f)) throw new Error(`prefixEnd: ${JSON.stringify(prefix)} must end in an ASCII character below DEL`);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
