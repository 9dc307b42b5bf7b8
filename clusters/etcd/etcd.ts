// Real etcd on the cluster's nodes: static bootstrap, health, leader, restart
// keeping data, wipe-and-rejoin. The binary is the host's (Debian's 3.4 by
// default, or any build given with --etcd-binary), copied into the image.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { UserError } from '../../history/index.ts';
import type { DB, MemberStatus } from '../db.ts';
import type { NodeCluster } from '../node-cluster.ts';
import type { ImageSpec } from '../docker/image.ts';
import { toolboxSpec } from '../docker/toolbox.ts';
import { raftStatus, status } from './api.ts';
import { etcdMembership } from './membership.ts';
import { etcdMaintenance } from './maintenance.ts';
import { GOFAIL_PORT } from './failpoints.ts';
import { withRaftFields } from './raft-status.ts';
import { etcdCoverage } from './coverage.ts';
import { etcdTrace } from './raft-trace.ts';
import { etcdFailpoints } from './failpoint-control.ts';

export const DEFAULT_ETCD_BINARY = '/usr/bin/etcd';
const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const DATA_DIR = '/data/etcd'; // in the container's own layer: survives a DB kill, gone with the container

export interface EtcdOptions {
  binary?: string;
  /** Raft timing (ms); etcd's defaults are 100 / 1000. */
  heartbeatMs?: number;
  electionMs?: number;
  /**
   * The binary is a failpoint build (failpoint-build.ts): start it with
   * GOFAIL_HTTP on the node's address, so the failpoint nemesis can arm its
   * failpoints from the host.
   */
  gofail?: boolean;
}

export function etcdDb(opts: EtcdOptions = {}): DB {
  const binary = opts.binary ?? DEFAULT_ETCD_BINARY;
  if (!existsSync(binary)) {
    throw new UserError(`etcd binary ${binary} does not exist`, 'Install etcd-server (faultline setup) or pass --etcd-binary PATH.');
  }
  const peerUrl = (c: NodeCluster, node: string) => `http://${c.node(node).ip}:${PEER_PORT}`;
  const clientUrl = (c: NodeCluster, node: string) => `http://${c.node(node).ip}:${CLIENT_PORT}`;

  const argv = (c: NodeCluster, node: string, initialCluster: string, state: 'new' | 'existing') => [
    '/usr/bin/etcd',
    `--name=${node}`,
    `--data-dir=${DATA_DIR}`,
    `--listen-peer-urls=${peerUrl(c, node)}`,
    `--initial-advertise-peer-urls=${peerUrl(c, node)}`,
    `--listen-client-urls=${clientUrl(c, node)},http://127.0.0.1:${CLIENT_PORT}`,
    `--advertise-client-urls=${clientUrl(c, node)}`,
    `--initial-cluster=${initialCluster}`,
    `--initial-cluster-state=${state}`,
    `--initial-cluster-token=faultline-${c.runId}`,
    `--heartbeat-interval=${opts.heartbeatMs ?? 100}`,
    `--election-timeout=${opts.electionMs ?? 1000}`,
    '--logger=zap',
    '--log-outputs=stderr',
    // Watchers that ask for progress_notify get one per idle second (the default, 10 min, never fires in a test).
    '--experimental-watch-progress-notify-interval=1s',
  ];
  const staticCluster = (c: NodeCluster) => c.nodes.map((n) => `${n.name}=${peerUrl(c, n.name)}`).join(',');

  async function memberStatus(c: NodeCluster, node: string): Promise<MemberStatus & { memberId?: string; leaderId?: string }> {
    const ip = c.node(node).ip;
    try {
      const s = await status(clientUrl(c, node), 1000);
      return {
        node,
        ip,
        up: true,
        leader: s.leader === s.header.member_id,
        term: Number(s.raftTerm),
        index: Number(s.raftIndex),
        version: s.version,
        memberId: s.header.member_id,
        leaderId: s.leader,
      };
    } catch (err) {
      return { node, ip, up: false, leader: false, error: (err as Error).message };
    }
  }

  /** raft.Status member id (hex) -> node name, learned as members answer. */
  const memberIds = new Map<string, string>();

  const gofailUrl = (c: NodeCluster, node: string) => `http://${c.node(node).ip}:${GOFAIL_PORT}`;
  const env = (c: NodeCluster, node: string): string[] => (opts.gofail ? [`GOFAIL_HTTP=${c.node(node).ip}:${GOFAIL_PORT}`] : []);

  const membership = etcdMembership({
    clientUrl,
    peerUrl,
    dataDir: DATA_DIR,
    startExisting: (c, node, initialCluster) => c.startProcess(node, 'etcd', argv(c, node, initialCluster, 'existing'), env(c, node)),
  });

  const db: DB = {
    name: 'etcd',
    dataDir: DATA_DIR,
    dataFiles: { wal: 'member/wal/*.wal', snapshot: 'member/snap/*.snap', data: 'member/snap/db' },
    ...(opts.gofail ? { failpoints: etcdFailpoints(gofailUrl, clientUrl) } : {}),
    // From /debug/vars (raft-status.ts): a follower's last log index is the leader's view of it; no last log term.
    raftStatus: ['term', 'lastLogIndex', 'commitIndex', 'votedFor'],
    image(): ImageSpec {
      const t = toolboxSpec();
      return { ...t, name: 'etcd', files: [...t.files, { from: binary, to: '/usr/bin/etcd', elf: true }] };
    },
    async version() {
      const r = await execa(binary, ['--version'], { reject: false });
      const v = r.stdout.match(/etcd Version: (\S+)/)?.[1] ?? 'unknown';
      return opts.gofail ? `${v} (failpoints)` : v;
    },
    async start(c, node, { fresh }) {
      if (fresh) await c.run(node, ['/bin/rm', '-rf', DATA_DIR]);
      // A restart keeps the data dir, so the initial-cluster flags are ignored by etcd.
      await c.startProcess(node, 'etcd', argv(c, node, staticCluster(c), 'new'), env(c, node));
    },
    async waitHealthy(c, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last: MemberStatus[] = [];
      while (Date.now() < deadline) {
        last = await Promise.all(c.nodes.map((n) => memberStatus(c, n.name)));
        const leaders = new Set(last.map((s) => (s as { leaderId?: string }).leaderId));
        if (last.every((s) => s.up) && leaders.size === 1 && !leaders.has('0') && last.some((s) => s.leader)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      const why = last.map((s) => `${s.node}: ${s.up ? (s.leader ? 'leader' : 'up') : `down (${s.error})`}`).join(', ');
      throw new Error(`etcd cluster not healthy after ${timeoutMs} ms: ${why}`);
    },
    async leader(c) {
      const all = await Promise.all(c.nodes.map((n) => memberStatus(c, n.name)));
      // Trust the highest term: a deposed leader may still think it leads.
      const leaders = all.filter((s) => s.leader).sort((a, b) => (b.term ?? 0) - (a.term ?? 0));
      return leaders[0]?.node;
    },
    async status(c) {
      const views = await Promise.all(c.nodes.map(async (n) => {
        const [{ memberId: _m, leaderId: _l, ...member }, raft] = await Promise.all([
          memberStatus(c, n.name),
          raftStatus(clientUrl(c, n.name), 1000).catch(() => undefined),
        ]);
        // Remembered while the member is down, so a vote for it still names it.
        if (raft) memberIds.set(raft.id, n.name);
        return { member, raft };
      }));
      return withRaftFields(views, (id) => memberIds.get(id));
    },
    clientUrl,
    coverage: etcdCoverage,
    raftTrace: etcdTrace,
    membership,
    maintenance: etcdMaintenance(clientUrl),
    async wipe(c, node) {
      if (c.nodes.length < 2) throw new Error('cannot wipe the only member of a cluster');
      await membership.remove(c, node);
      await membership.add(c, node);
    },
  };
  return db;
}
