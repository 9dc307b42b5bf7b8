// DB.membership for etcd: the member list read from etcd itself, removing a
// member (process killed, data wiped, then `member remove`), and adding one
// back as a new, empty member (`member add`, then started with
// --initial-cluster-state existing). Each call asks a live member other than
// the one changed, since a removed member no longer answers for the cluster.
import type { NodeCluster } from '../node-cluster.ts';
import type { ClusterMember, Membership } from '../db.ts';
import { etcdPost, memberList, type Member } from './api.ts';

type UrlOf = (c: NodeCluster, node: string) => string;

export interface EtcdMembershipParts {
  clientUrl: UrlOf;
  peerUrl: UrlOf;
  dataDir: string;
  /** Start etcd on `node` joining the cluster listed in `initialCluster` (name=peerURL,...). */
  startExisting(c: NodeCluster, node: string, initialCluster: string): Promise<void>;
}

/** How long a membership change may take to be applied (refused as "unhealthy cluster", or asked of a member cut off). */
const RETRY_MS = 20_000;

export function etcdMembership(p: EtcdMembershipParts): Membership {
  /** The member list as some live member other than `except` sees it, and who answered. */
  async function listFrom(c: NodeCluster, except?: string): Promise<{ members: Member[]; endpoint: string }> {
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
  const nodeOf = (c: NodeCluster, m: Member): string | undefined => c.nodes.find((n) => m.peerURLs.includes(p.peerUrl(c, n.name)))?.name;

  const toClusterMember = (c: NodeCluster, m: Member): ClusterMember => ({ id: m.id, node: nodeOf(c, m) ?? m.name, started: m.name !== '' });

  /** The member running on `node` in `members`, if listed (a member added but not started is found by its peer URL). */
  const memberOn = (c: NodeCluster, members: Member[], node: string) => members.find((m) => nodeOf(c, m) === node);

  /**
   * Post a membership change until etcd lists it as applied. A change that
   * timed out may still have been applied (the leader got it, the reply was
   * lost), so the list is read again before every retry, never the change
   * posted twice blindly; each attempt asks the next live member, since the
   * one asked last may be cut off from the leader.
   */
  async function changeUntilListed(c: NodeCluster, node: string, path: string, body: unknown, applied: (members: Member[]) => boolean): Promise<void> {
    const deadline = Date.now() + RETRY_MS;
    const others = c.nodes.map((n) => n.name).filter((n) => n !== node);
    const errors: string[] = [];
    for (let attempt = 0; ; attempt++) {
      const asked = others[attempt % others.length];
      try {
        const members = await memberList(p.clientUrl(c, asked), 1500);
        if (!memberOn(c, members, asked)) throw new Error(`${asked} is not a member`);
        if (applied(members)) return;
        await etcdPost(p.clientUrl(c, asked), path, body, 5000);
        return;
      } catch (err) {
        const msg = (err as Error).message;
        errors.push(`${asked}: ${msg}`);
        if (Date.now() > deadline || !RETRYABLE.test(msg)) throw new Error(`${path} for ${node} failed: ${errors.slice(-3).join('; ')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  return {
    async list(c) {
      return (await listFrom(c)).members.map((m) => toClusterMember(c, m));
    },
    async remove(c, node) {
      const { members } = await listFrom(c, node);
      // Killed and wiped first: a removed etcd exits on its own, but only once it hears of the removal.
      await c.signal(node, 'etcd', 'KILL');
      await c.run(node, ['/bin/rm', '-rf', p.dataDir]);
      const old = memberOn(c, members, node);
      if (old) await changeUntilListed(c, node, 'cluster/member/remove', { ID: old.id }, (ms) => !ms.some((m) => m.id === old.id));
    },
    async add(c, node) {
      const { members } = await listFrom(c, node);
      const listed = memberOn(c, members, node);
      if (listed && listed.name !== '') throw new Error(`${node} is already a member`);
      // Not started yet when listed without a name: an earlier add was applied but its start never came. Start it now.
      await c.signal(node, 'etcd', 'KILL');
      await c.run(node, ['/bin/rm', '-rf', p.dataDir]);
      if (!listed) await changeUntilListed(c, node, 'cluster/member/add', { peerURLs: [p.peerUrl(c, node)] }, (ms) => memberOn(c, ms, node) !== undefined);
      const after = (await listFrom(c, node)).members;
      const initial = after.map((m) => `${nodeOf(c, m) ?? m.name}=${m.peerURLs[0]}`).join(',');
      await p.startExisting(c, node, initial);
    },
  };
}

/**
 * Errors worth another try: right after a membership change etcd refuses the
 * next one ("unhealthy cluster") until the leader has heard from a quorum for
 * a while; a member cut off from the leader times out or is unreachable.
 */
const RETRYABLE = /unhealthy cluster|too many learner|not started|timeout|timed out|aborted|fetch failed|ECONNREFUSED|not a member|HTTP 503/i;
