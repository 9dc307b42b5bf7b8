// `faultline test --db raftkv`: the test a set of CLI options describes against
// faultline's own Raft KV server (clusters/raftkv) in containers, seeded bugs
// included (--bug NAME). Every workload and every nemesis applies, clock
// faults too: the server runs under libfaketime. After the workload's final
// reads, each node reports its state hash at one common index, checked for
// divergence.
import { DockerDbCluster, type DockerClusterInfo } from '../clusters/docker-db-cluster.ts';
import { raftkvDb } from '../clusters/raftkv/db.ts';
import { BUGS } from '../clusters/raftkv/bugs.ts';
import { registerWorkload, RaftkvRegisterClient } from '../workloads/register/index.ts';
import { setWorkload, RaftkvSetClient } from '../workloads/set/index.ts';
import { bankWorkload, RaftkvBankClient } from '../workloads/bank/index.ts';
import { counterWorkload, RaftkvCounterClient } from '../workloads/counter/index.ts';
import { appendWorkload, APPEND_KEYS, RaftkvTxnClient } from '../workloads/append/index.ts';
import { wrRegisterWorkload, WR_REGISTER_KEYS } from '../workloads/wr-register/index.ts';
import type { RaftkvClientOptions } from '../workloads/raftkv/client-base.ts';
import { raftkvStateSource, withDivergence } from '../workloads/divergence/index.ts';
import { nemesisPlan, parseNemesisOption, parseSeconds } from '../nemeses/index.ts';
import type { DB } from '../clusters/db.ts';
import { UserError } from './errors.ts';
import type { NemesisPlan, TestDefinition, Workload } from './test-definition.ts';

export interface RaftkvTestArgs {
  workload: string;
  nemesis: string;
  concurrency?: number;
  rate?: number;
  timeLimit: number;
  opTimeout: number;
  readMode?: string;
  /** Seeded bugs to switch on (repeatable --bug). */
  bug?: string[];
  /** Log compaction interval, applied entries (server default 1000). */
  snapshotEvery?: number;
  image?: string;
  /** Quiet period before each fault: '10s', '500ms', 10. */
  nemesisInterval?: string;
  [other: string]: unknown;
}

export const RAFTKV_WORKLOADS = ['register', 'set', 'bank', 'counter', 'append', 'wr-register'] as const;

function workloadFor(args: RaftkvTestArgs): Workload<DockerClusterInfo> {
  const client = (info: DockerClusterInfo): RaftkvClientOptions => ({ urls: info.urls, timeoutMs: args.opTimeout });
  switch (args.workload) {
    case 'register':
      return registerWorkload((info) => new RaftkvRegisterClient(client(info)));
    case 'set':
      return setWorkload((info) => new RaftkvSetClient(client(info)));
    case 'bank':
      return bankWorkload((info, bank) => new RaftkvBankClient({ ...client(info), ...bank }));
    case 'counter':
      return counterWorkload((info) => new RaftkvCounterClient(client(info)));
    case 'append':
      return appendWorkload((info) => new RaftkvTxnClient({ ...client(info), ...APPEND_KEYS }));
    case 'wr-register':
      return wrRegisterWorkload((info) => new RaftkvTxnClient({ ...client(info), ...WR_REGISTER_KEYS }));
    default:
      throw new UserError(`unknown --workload ${JSON.stringify(args.workload)} for --db raftkv; known: ${RAFTKV_WORKLOADS.join(', ')}`);
  }
}

function nemesisFor(args: RaftkvTestArgs, db: DB): NemesisPlan<DockerClusterInfo> | undefined {
  const names = parseNemesisOption(args.nemesis);
  if (names.length === 0) return undefined;
  return nemesisPlan(names, { intervalS: parseSeconds(args.nemesisInterval ?? '10s'), db });
}

export function raftkvTest(args: RaftkvTestArgs, nodes: string[], seed: number): TestDefinition<DockerClusterInfo> {
  if (args.readMode === 'serializable') {
    throw new UserError('--read-mode serializable is an etcd option', `raftkv reads go through ReadIndex; local (stale) reads are a seeded bug: --bug stale-read. Known bugs: ${Object.keys(BUGS).join(', ')}`);
  }
  const bugs = args.bug ?? [];
  const db = raftkvDb({ bugs, snapshotEvery: args.snapshotEvery });
  const nemesis = nemesisFor(args, db);
  // The state-hash ops of the final phase must finish inside the op timeout.
  const workload = withDivergence(workloadFor(args), {
    nodeCount: nodes.length,
    source: (info) => raftkvStateSource(info.urls),
    budgetMs: Math.max(1000, args.opTimeout - 500),
  });
  const bugPart = bugs.length ? `-${[...bugs].sort().join('+')}` : '';
  return {
    name: `raftkv${bugPart}-${args.workload}-${args.nemesis.replace(/,/g, '+')}`,
    nodes,
    db: new DockerDbCluster({ db, nodeCount: nodes.length, image: args.image }),
    workload,
    ...(nemesis ? { nemesis } : {}),
    timeLimit: args.timeLimit,
    concurrency: args.concurrency ?? 2 * nodes.length,
    rate: args.rate,
    seed,
    options: {
      db: 'raftkv',
      workload: args.workload,
      nemesis: args.nemesis,
      bugs,
      opTimeoutMs: args.opTimeout,
      nemesisInterval: args.nemesisInterval ?? '10s',
    },
  };
}
