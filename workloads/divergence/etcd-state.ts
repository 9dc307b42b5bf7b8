// etcd's state for the divergence check: maintenance/hashkv at a common
// revision (the leader's, once quiet), and the keys at that revision read
// locally (serializable range), so a divergent member shows what differs.
import { b64, etcdPost, hashKV, status, unb64 } from '../../clusters/etcd/api.ts';
import type { StateReport } from '../../checkers/divergence.ts';
import { MAX_LISTED_KEYS, retryUntil, showValue } from './report.ts';
import type { StateSource } from './source.ts';

export function etcdStateSource(urls: Record<string, string>): StateSource {
  const url = (node: string): string => {
    const u = urls[node];
    if (!u) throw new Error(`no client URL for node ${node}`);
    return u;
  };
  return {
    commonIndex: (deadline) =>
      retryUntil(deadline, async (remaining) => {
        const answers = await Promise.allSettled(Object.values(urls).map((u) => status(u, Math.min(1000, remaining))));
        const ok = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
        // The leader with the highest term: a deposed leader may still think it leads.
        const leader = ok.filter((s) => s.leader === s.header.member_id).sort((a, b) => Number(b.raftTerm) - Number(a.raftTerm))[0];
        if (!leader?.header.revision) throw new Error(`no leader answered (${ok.length} of ${answers.length} members up)`);
        return Number(leader.header.revision);
      }),

    async report(node, revision, deadline): Promise<StateReport> {
      const endpoint = url(node);
      // "required revision is a future revision" until the member has applied that far.
      const { hash } = await retryUntil(deadline, (remaining) => hashKV(endpoint, revision, remaining));
      const listing = await etcdPost<{ kvs?: Array<{ key: string; value?: string }>; more?: boolean }>(
        endpoint,
        'kv/range',
        { key: b64('\0'), range_end: b64('\0'), revision: String(revision), serializable: true, limit: String(MAX_LISTED_KEYS) },
        Math.max(200, deadline - Date.now()),
      );
      const keys = (listing.kvs ?? []).map((kv): [string, string] => [unb64(kv.key), showValue(unb64(kv.value))]);
      return { node, index: revision, hash, keys, keysIndex: revision, ...(listing.more ? { keysTruncated: true } : {}) };
    },
  };
}
