// DB.maintenance for etcd: compaction of the key-value history and
// defragmentation of a member's backend file, each answered with what etcd
// itself then reports, so the nemesis can prove the operation happened.
import type { NodeCluster } from '../node-cluster.ts';
import type { Maintenance } from '../db.ts';
import { etcdPost, status } from './api.ts';

type UrlOf = (c: NodeCluster, node: string) => string;

/** A defragment rewrites the whole file and blocks the member meanwhile: allow it time under load. */
const DEFRAG_TIMEOUT_MS = 15_000;

export function etcdMaintenance(clientUrl: UrlOf): Maintenance {
  return {
    async compact(c, node) {
      const endpoint = clientUrl(c, node);
      // The newest revision: every older version goes, so any watcher resuming below it is told it was compacted.
      const head = await etcdPost<{ header: { revision: string } }>(endpoint, 'kv/range', { key: Buffer.from('\0').toString('base64'), count_only: true });
      const revision = Number(head.header.revision);
      // physical: answer once the backend has dropped the old versions, not just once the compaction is in the log.
      await etcdPost(endpoint, 'kv/compaction', { revision: String(revision), physical: true }, 10_000);
      return { revision };
    },
    async isCompacted(c, node, revision) {
      // 3.4's JSON gateway has no hashkv: a serializable read just below the revision, refused as compacted, is the member's own word.
      try {
        await etcdPost(clientUrl(c, node), 'kv/range', { key: Buffer.from('\0').toString('base64'), count_only: true, serializable: true, revision: String(revision - 1) }, 2_000);
        return false;
      } catch (err) {
        if (/compacted/.test((err as Error).message)) return true;
        throw err;
      }
    },
    async defragment(c, node) {
      const endpoint = clientUrl(c, node);
      const before = await status(endpoint, 2_000);
      const t0 = performance.now();
      await etcdPost(endpoint, 'maintenance/defragment', {}, DEFRAG_TIMEOUT_MS);
      const tookMs = Math.round(performance.now() - t0);
      const after = await status(endpoint, 2_000);
      return { sizeBefore: Number(before.dbSize ?? NaN), inUseBefore: Number(before.dbSizeInUse ?? NaN), sizeAfter: Number(after.dbSize ?? NaN), tookMs };
    },
  };
}
