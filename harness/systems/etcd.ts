// `faultline test --db etcd`: the test a set of CLI options describes against
// a real etcd cluster in containers.
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { dockerTest, type DockerTestArgs } from './docker.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { etcdRegisterWorkload } from '../../workloads/register/index.ts';
import { etcdSetWorkload } from '../../workloads/set/index.ts';
import { etcdBankWorkload } from '../../workloads/bank/index.ts';
import { etcdCounterWorkload } from '../../workloads/counter/index.ts';
import { etcdAppendWorkload } from '../../workloads/append/index.ts';
import { etcdWrRegisterWorkload } from '../../workloads/wr-register/index.ts';
import { etcdLockWorkload } from '../../workloads/lock/index.ts';
import { etcdStateSource } from '../../workloads/divergence/index.ts';
import type { ReadMode } from '../../workloads/etcd/client-base.ts';
import { UserError } from '../../history/errors.ts';
import type { TestDefinition } from '../test-definition.ts';
import type { Workload } from '../../workloads/workload.ts';

export interface EtcdTestArgs extends DockerTestArgs {
  readMode: ReadMode;
  etcdBinary?: string;
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

export function etcdTest(args: EtcdTestArgs, nodes: string[], seed: number): TestDefinition<DockerClusterInfo> {
  return dockerTest(args, nodes, seed, {
    db: etcdDb({ binary: args.etcdBinary }),
    namePrefix: 'etcd',
    workload: workloadFor(args),
    // Every member hashes its keyspace at one common revision.
    stateSource: (info) => etcdStateSource(info.urls),
    options: { readMode: args.readMode, etcdBinary: args.etcdBinary ?? '/usr/bin/etcd' },
  });
}
