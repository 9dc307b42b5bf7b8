// DB.membership for etcd: the member list read from etcd itself, removing a
// member (process killed, data wiped, then `member remove`), and adding one
// back as a new, empty member (`member add`, then started with
// --initial-cluster-state existing). Each call asks a live member other than
// the one changed, since a removed member no longer answers for the cluster.
import type { DockerCluster } from '../docker/cluster.ts';
import type { ClusterMember, Membership } from '../db.ts';
import { etcdPost, memberList, type Member } from './api.ts';

type UrlOf = (c: DockerCluster, node: string) => string;

export interface EtcdMembershipParts {
  clientUrl: UrlOf;
  peerUrl: UrlOf;
  dataDir: string;
  /** Start etcd on `node` joining the cluster listed in `initialCluster` (name=peerURL,...). */
  startExisting(c: DockerCluster, node: string, initialCluster: string): Promise<void>;
}

/** How long etcd may refuse a change as "unhealthy cluster" right after the previous one. */
const RETRY_MS = 20_000;

export function etcdMembership(p: EtcdMembershipParts): Membership {
  /** The member list as some live member other than `except` sees it, and who answered. */
  async function listFrom(c: DockerCluster, except?: string): Promise<{ members: Member[]; endpoint: string }> {
    const errors: string[] = [];
    for (const n of c.nodes.filter((n) => n.name !== except)) {
      const endpoint = p.clientUrl(c, n.name);
      try {
        const members = await memberList(endpoint, 1500);
        // A removed member may still answer from its own stale list: trust only one that lists itself.
        if (members.some((m) => nodeOf(c, m) === n.name)) return { members, endpoint };
        errors.push(`${n.name}: not a member`);
      } catch (err) {
        errors.push(`${n.name}: ${(err as Error).message}`);
      }
    }
    throw new Error(`no live member answered the member list: ${errors.join('; ')}`);
  }

  /** The node a member runs on, by its peer URL (a member added but not started has no name yet). */
  const nodeOf = (c: DockerCluster, m: Member): string | undefined => c.nodes.find((n) => m.peerURLs.includes(p.peerUrl(c, n.name)))?.name;

  const toClusterMember = (c: DockerCluster, m: Member): ClusterMember => ({ id: m.id, node: nodeOf(c, m) ?? m.name, started: m.name !== '' });

  return {
    async list(c) {
      return (await listFrom(c)).members.map((m) => toClusterMember(c, m));
    },
    async remove(c, node) {
      const { members, endpoint } = await listFrom(c, node);
      // Killed and wiped first: a removed etcd exits on its own, but only once it hears of the removal.
      await c.signal(node, 'etcd', 'KILL');
      await c.run(node, ['/bin/rm', '-rf', p.dataDir]);
      const old = members.find((m) => nodeOf(c, m) === node);
      if (old) await retryUnhealthy(() => etcdPost(endpoint, 'cluster/member/remove', { ID: old.id }));
    },
    async add(c, node) {
      const { members, endpoint } = await listFrom(c, node);
      if (members.some((m) => nodeOf(c, m) === node)) throw new Error(`${node} is already a member`);
      await c.signal(node, 'etcd', 'KILL');
      await c.run(node, ['/bin/rm', '-rf', p.dataDir]);
      await retryUnhealthy(() => etcdPost(endpoint, 'cluster/member/add', { peerURLs: [p.peerUrl(c, node)] }));
      const after = await memberList(endpoint);
      const initial = after.map((m) => `${nodeOf(c, m) ?? m.name}=${m.peerURLs[0]}`).join(',');
      await p.startExisting(c, node, initial);
    },
  };
}

/**
 * Right after a membership change etcd refuses the next one ("unhealthy
 * cluster") until the leader has heard from a quorum for a while: retry briefly.
 */
async function retryUnhealthy<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_MS;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline || !/unhealthy cluster|too many learner|not started/i.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
