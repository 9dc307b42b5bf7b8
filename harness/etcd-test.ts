// `faultline test --db etcd`: the test a set of CLI options describes against
// a real etcd cluster in containers.
import { DockerDbCluster, type DockerClusterInfo } from '../clusters/docker-db-cluster.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { etcdRegisterWorkload } from '../workloads/register/index.ts';
import { etcdSetWorkload } from '../workloads/set/index.ts';
import { etcdBankWorkload } from '../workloads/bank/index.ts';
import { etcdCounterWorkload } from '../workloads/counter/index.ts';
import { etcdAppendWorkload } from '../workloads/append/index.ts';
import { etcdWrRegisterWorkload } from '../workloads/wr-register/index.ts';
import { etcdLockWorkload } from '../workloads/lock/index.ts';
import { etcdStateSource, withDivergence } from '../workloads/divergence/index.ts';
import type { ReadMode } from '../workloads/etcd/client-base.ts';
import { UserError } from './errors.ts';
import type { DB } from '../clusters/db.ts';
import { nemesisPlan, parseNemesisOption, parseSeconds } from '../nemeses/index.ts';
import type { NemesisPlan, TestDefinition, Workload } from './test-definition.ts';

export interface EtcdTestArgs {
  workload: string;
  nemesis: string;
  concurrency?: number;
  rate?: number;
  timeLimit: number;
  opTimeout: number;
  readMode: ReadMode;
  etcdBinary?: string;
  image?: string;
  /** Quiet period before each fault: '10s', '500ms', 10. */
  nemesisInterval?: string;
  [other: string]: unknown;
}

export const ETCD_WORKLOADS = ['register', 'set', 'bank', 'counter', 'append', 'wr-register', 'lock'] as const;

function workloadFor(args: EtcdTestArgs): Workload<DockerClusterInfo> {
  const client = { timeoutMs: args.opTimeout, readMode: args.readMode };
  switch (args.workload) {
    case 'register':
      return etcdRegisterWorkload({ client });
    case 'set':
      return etcdSetWorkload({ client });
    case 'bank':
      return etcdBankWorkload({ client });
    case 'counter':
      return etcdCounterWorkload({ client });
    case 'append':
      return etcdAppendWorkload({ client });
    case 'wr-register':
      return etcdWrRegisterWorkload({ client });
    case 'lock':
      return etcdLockWorkload({ client });
    default:
      throw new UserError(`unknown --workload ${JSON.stringify(args.workload)} for --db etcd; known: ${ETCD_WORKLOADS.join(', ')}`);
  }
}

function nemesisFor(args: EtcdTestArgs, db: DB): NemesisPlan<DockerClusterInfo> | undefined {
  const names = parseNemesisOption(args.nemesis);
  if (names.length === 0) return undefined;
  return nemesisPlan(names, { intervalS: parseSeconds(args.nemesisInterval ?? '10s'), db });
}

export function etcdTest(args: EtcdTestArgs, nodes: string[], seed: number): TestDefinition<DockerClusterInfo> {
  const db = etcdDb({ binary: args.etcdBinary });
  // After the final reads, every member hashes its keyspace at one common revision (checkers/divergence.ts).
  const workload = withDivergence(workloadFor(args), {
    nodeCount: nodes.length,
    source: (info) => etcdStateSource(info.urls),
    budgetMs: Math.max(1000, args.opTimeout - 500),
  });
  const nemesis = nemesisFor(args, db);
  return {
    name: `etcd-${args.workload}-${args.nemesis.replace(/,/g, '+')}`,
    nodes,
    db: new DockerDbCluster({ db, nodeCount: nodes.length, image: args.image }),
    workload,
    ...(nemesis ? { nemesis } : {}),
    timeLimit: args.timeLimit,
    concurrency: args.concurrency ?? 2 * nodes.length,
    rate: args.rate,
    seed,
    options: {
      db: 'etcd',
      workload: args.workload,
      nemesis: args.nemesis,
      readMode: args.readMode,
      opTimeoutMs: args.opTimeout,
      nemesisInterval: args.nemesisInterval ?? '10s',
      etcdBinary: args.etcdBinary ?? '/usr/bin/etcd',
    },
  };
}
