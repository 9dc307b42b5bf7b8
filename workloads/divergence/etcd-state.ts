// etcd's state for the divergence check. etcd's own HashKV would do, but the
// 3.4 gateway maps it onto /v3/maintenance/hash, where the revision-less Hash
// RPC shadows it (fixed in 3.5 as /v3/maintenance/hashkv). So each member
// reads its whole keyspace at the common revision LOCALLY (serializable
// range, MVCC keeps every revision until a compaction) and we hash that
// listing: key, value, create/mod revision and version, the same fields
// HashKV covers. A member behind the revision answers "future revision"
// until it has applied that far. The comparison follows the membership: the
// leader's member list is read when the common revision is, and a node that
// answers with a member id the list does not hold (a membership change left
// it out, and it still runs on its old identity) reports that instead of a
// state. A node that does not answer is missing, never "not a member": an
// added member that never started is listed, and counts.
import { createHash } from 'node:crypto';
import { b64, etcdPost, memberList, status, unb64 } from '../../clusters/index.ts';
import type { StateReport } from '../../checkers/index.ts';
import { MAX_LISTED_KEYS, retryUntil, showValue } from './report.ts';
import type { StateSource } from './source.ts';

interface RawKv {
  key: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
}

const PAGE = 1000;

/** Every key at `revision` as this member alone sees it, in key order. */
async function localKeyspace(endpoint: string, revision: number, deadline: number): Promise<RawKv[]> {
  const out: RawKv[] = [];
  let from = '\0';
  for (;;) {
    const page = await retryUntil(deadline, (remaining) =>
      etcdPost<{ kvs?: RawKv[]; more?: boolean }>(
        endpoint,
        'kv/range',
        { key: b64(from), range_end: b64('\0'), revision: String(revision), serializable: true, limit: String(PAGE) },
        remaining,
      ),
    );
    const kvs = page.kvs ?? [];
    out.push(...kvs);
    if (!page.more || kvs.length === 0) return out;
    from = unb64(kvs[kvs.length - 1].key) + '\0';
  }
}

export function etcdStateSource(urls: Record<string, string>): StateSource {
  const url = (node: string): string => {
    const u = urls[node];
    if (!u) throw new Error(`no client URL for node ${node}`);
    return u;
  };
  /** Ids of the members the leader listed when the common revision was read (started or not). */
  let members: Set<string> | undefined;
  return {
    commonIndex: (deadline) =>
      retryUntil(deadline, async (remaining) => {
        const endpoints = Object.values(urls);
        const answers = await Promise.allSettled(endpoints.map((u) => status(u, Math.min(1000, remaining))));
        const ok = answers.flatMap((a, i) => (a.status === 'fulfilled' ? [{ s: a.value, endpoint: endpoints[i] }] : []));
        // The leader with the highest term: a deposed leader may still think it leads.
        const leader = ok.filter(({ s }) => s.leader === s.header.member_id).sort((a, b) => Number(b.s.raftTerm) - Number(a.s.raftTerm))[0];
        if (!leader?.s.header.revision) throw new Error(`no leader answered (${ok.length} of ${answers.length} members up)`);
        // A list that does not name the leader itself (or none at all) is no guide: then every node is compared.
        const listed = await memberList(leader.endpoint, Math.min(1000, remaining)).then((ms) => new Set(ms.map((m) => m.id)), () => undefined);
        members = listed?.has(leader.s.header.member_id) ? listed : undefined;
        return Number(leader.s.header.revision);
      }),

    async report(node, revision, deadline): Promise<StateReport> {
      if (members) {
        const own = await retryUntil(deadline, (remaining) => status(url(node), Math.min(1000, remaining)));
        if (!members.has(own.header.member_id)) return { node, index: revision, hash: 'not a member', notMember: true };
      }
      const kvs = await localKeyspace(url(node), revision, deadline);
      const hash = createHash('sha1');
      for (const kv of kvs) hash.update(JSON.stringify([kv.key, kv.value ?? '', kv.create_revision, kv.mod_revision, kv.version]) + '\n');
      const keys = kvs.slice(0, MAX_LISTED_KEYS).map((kv): [string, string] => [unb64(kv.key), `${showValue(unb64(kv.value))} @${kv.mod_revision ?? '?'}`]);
      return {
        node,
        index: revision,
        hash: hash.digest('hex').slice(0, 16),
        keys,
        keysIndex: revision,
        ...(kvs.length > MAX_LISTED_KEYS ? { keysTruncated: true } : {}),
      };
    },
  };
}
