// faultline's own Raft KV server (clusters/raftkv) as a DB on the Docker
// cluster: the image carries the host's node binary and the esbuild bundle of
// the server; each node runs it under libfaketime, so clock faults reach it
// (Node reads wall time through libc, unlike Go's vDSO reads in etcd).
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { UserError } from '../../history/index.ts';
import { faketimeEnv } from '../faketime.ts';
import type { DB, MemberStatus } from '../db.ts';
import type { NodeCluster } from '../node-cluster.ts';
import type { ImageSpec } from '../docker/image.ts';
import { toolboxSpec } from '../docker/toolbox.ts';
import { nodeStatus, setFailpoint, setPeerDelay } from './admin.ts';
import { isFailpoint } from '../../raftkv/index.ts';
import { parseBugs, parseMutants, type BugName, type MutantName } from '../../raftkv/index.ts';
import { bundleServerText } from './bundle.ts';
import { raftkvCoverage, raftkvTrace } from './coverage.ts';
import { serverArgs } from '../../raftkv/index.ts';
import type { ServerStatus } from '../../raftkv/index.ts';

const NODE_BINARY = '/usr/bin/node';
const SERVER_FILE = '/opt/raftkv/server.mjs';
export const RAFTKV_CLIENT_PORT = 8080;
const PEER_PORT = 2380;
const DATA_DIR = '/data/raftkv'; // in the container's layer: survives a kill, gone with the container

export interface RaftkvOptions {
  /** Seeded bugs to switch on (raftkv/bugs.ts). */
  bugs?: readonly string[];
  /** Planted bugs of the mutation suite (raftkv/mutants.ts), for measuring faultline itself. */
  mutants?: readonly string[];
  snapshotEvery?: number;
  /** Raft timing, ms (server defaults: 300 / 50). */
  electionTimeoutMs?: number;
  heartbeatMs?: number;
  /** Server-side default request timeout, ms (clients send their own). */
  requestTimeoutMs?: number;
  /** Most log entries per AppendEntries message (server default 256). */
  maxAppendEntries?: number;
}

/** What a node says it runs: raftkv, and any seeded bugs or mutants switched on. */
function versionOf(status: ServerStatus): string {
  const parts = [
    ...(status.bugs.length ? [`bugs: ${status.bugs.join(' ')}`] : []),
    ...(status.mutants.length ? [`mutants: ${status.mutants.join(' ')}`] : []),
  ];
  return ['raftkv', ...parts].join(', ');
}

export function raftkvDb(opts: RaftkvOptions = {}): DB {
  let bugs: BugName[];
  try {
    bugs = [...parseBugs(opts.bugs ?? [])];
  } catch (err) {
    throw new UserError(`--bug: ${(err as Error).message}`);
  }
  let mutants: MutantName[];
  try {
    mutants = [...parseMutants(opts.mutants ?? [])];
  } catch (err) {
    throw new UserError(`--mutant: ${(err as Error).message}`);
  }
  // Bundled once per DB object, on first use (esbuild, ~0.2 s).
  let bundle: string | undefined;
  const serverText = (): string => (bundle ??= bundleServerText());
  /** The server build, named by its bundle's content. */
  const build = (): string => `raftkv ${createHash('sha256').update(serverText()).digest('hex').slice(0, 12)}`;

  const clientUrl = (c: NodeCluster, node: string) => `http://${c.node(node).ip}:${RAFTKV_CLIENT_PORT}`;
  const argv = (c: NodeCluster, node: string): string[] => [
    NODE_BINARY,
    SERVER_FILE,
    ...serverArgs({
      id: node,
      peers: Object.fromEntries(c.nodes.map((n) => [n.name, `http://${n.ip}:${PEER_PORT}`])),
      clientPort: RAFTKV_CLIENT_PORT,
      dataDir: DATA_DIR,
      bugs,
      mutants,
      snapshotEvery: opts.snapshotEvery,
      host: '0.0.0.0',
      electionTimeout: opts.electionTimeoutMs,
      heartbeat: opts.heartbeatMs,
      requestTimeout: opts.requestTimeoutMs,
      maxAppendEntries: opts.maxAppendEntries,
    }),
  ];

  async function statuses(c: NodeCluster): Promise<Array<{ node: string; ip: string; status?: ServerStatus; error?: string }>> {
    return Promise.all(
      c.nodes.map(async (n) => {
        try {
          return { node: n.name, ip: n.ip, status: await nodeStatus(clientUrl(c, n.name)) };
        } catch (err) {
          return { node: n.name, ip: n.ip, error: (err as Error).message };
        }
      }),
    );
  }

  const db: DB = {
    name: 'raftkv',
    dataDir: DATA_DIR,
    dataFiles: { log: 'log.jsonl', snapshot: 'snapshot.json', vote: 'hardstate.json' },
    supportsClockFaults: true,
    // /admin/status reports the node's own log, commit index and vote.
    raftStatus: ['term', 'lastLogIndex', 'lastLogTerm', 'commitIndex', 'votedFor'],
    image(): ImageSpec {
      const t = toolboxSpec();
      return {
        ...t,
        name: 'raftkv',
        files: [...t.files, { from: NODE_BINARY, elf: true }],
        texts: { ...t.texts, [SERVER_FILE]: serverText() },
      };
    },
    async version() {
      const node = await execa(NODE_BINARY, ['--version'], { reject: false });
      return `${build()} (node ${node.stdout.trim() || 'unknown'})${bugs.length ? ` bugs: ${bugs.join(' ')}` : ''}${mutants.length ? ` mutants: ${mutants.join(' ')}` : ''}`;
    },
    delayPeerMessages: (c, node, delay) => setPeerDelay(clientUrl(c, node), delay),
    async nodeReport(c, node) {
      const s = await nodeStatus(clientUrl(c, node));
      return { clockMs: s.time, peerDelay: s.delay, delayedBatches: s.delayedBatches };
    },
    async armFailpoint(c, node, name, armed) {
      if (!isFailpoint(name)) throw new Error(`raftkv has no failpoint ${name}`);
      await setFailpoint(clientUrl(c, node), name, armed);
    },
    async start(c, node, { fresh }) {
      if (fresh) await c.run(node, ['/bin/rm', '-rf', DATA_DIR]);
      await c.startProcess(node, 'raftkv', argv(c, node), faketimeEnv());
    },
    async waitHealthy(c, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last: Awaited<ReturnType<typeof statuses>> = [];
      while (Date.now() < deadline) {
        last = await statuses(c);
        const leaders = new Set(last.map((s) => s.status?.leader));
        const [leader] = leaders;
        const leaderStatus = last.find((s) => s.node === leader)?.status;
        // Everyone answers, names the same leader, and that leader says so in the same term.
        if (last.every((s) => s.status) && leaders.size === 1 && leader && leaderStatus?.role === 'leader' &&
          last.every((s) => s.status!.term === leaderStatus.term)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      const why = last.map((s) => `${s.node}: ${s.status ? `${s.status.role} term ${s.status.term} leader ${s.status.leader ?? '-'}` : `down (${s.error})`}`);
      throw new Error(`raftkv cluster not healthy after ${timeoutMs} ms: ${why.join(', ')}`);
    },
    async leader(c) {
      // Trust the highest term: a deposed leader cut off from the rest may still think it leads.
      const leaders = (await statuses(c)).filter((s) => s.status?.role === 'leader').sort((a, b) => b.status!.term - a.status!.term);
      return leaders[0]?.node;
    },
    async status(c) {
      return (await statuses(c)).map(({ node, ip, status, error }): MemberStatus =>
        status
          ? {
              node,
              ip,
              up: true,
              leader: status.role === 'leader',
              term: status.term,
              index: status.commitIndex,
              lastLogIndex: status.lastIndex,
              lastLogTerm: status.lastTerm,
              commitIndex: status.commitIndex,
              votedFor: status.votedFor,
              version: versionOf(status),
            }
          : { node, ip, up: false, leader: false, error },
      );
    },
    clientUrl,
    coverage: raftkvCoverage,
    raftTrace: raftkvTrace,
  };
  return db;
}
