// DB.failpoints for etcd's failpoint build: arm and disarm through each
// node's gofail endpoint; the defrag failpoints are reached by asking the
// member to defragment.
import type { NodeCluster } from '../node-cluster.ts';
import type { Failpoints } from '../db.ts';
import { etcdPost } from './api.ts';
import { DEFRAG_FAILPOINTS, ETCD_FAILPOINTS, gofailFiredText, gofailPath, gofailTerm } from './failpoints.ts';
import { setFailpointTerm } from './gofail.ts';

type UrlOf = (c: NodeCluster, node: string) => string;

export function etcdFailpoints(gofailUrl: UrlOf, clientUrl: UrlOf): Failpoints {
  return {
    points: ETCD_FAILPOINTS,
    set: (c, node, name, action) => setFailpointTerm(gofailUrl(c, node), gofailPath(name), action === null ? null : gofailTerm(name, action)),
    firedText: gofailFiredText,
    async trigger(c, node, name) {
      if (!DEFRAG_FAILPOINTS.includes(name)) return;
      // Twice: a sleep holds the first pass and prints at the second (gofailTerm), and a defragment passes once.
      // A member that panics mid-defrag never answers: that is the failpoint firing, not an error.
      for (let pass = 0; pass < 2; pass++) await etcdPost(clientUrl(c, node), 'maintenance/defragment', {}, 10_000).catch(() => undefined);
    },
  };
}
