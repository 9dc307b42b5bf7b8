// `faultline test --db raftkv`: the test a set of CLI options describes against
// faultline's own Raft KV server (clusters/raftkv) in containers, seeded bugs
// included (--bug NAME). Every workload and every nemesis applies, clock
// faults too: the server runs under libfaketime. After the workload's final
// reads, each node reports its state hash at one common index, checked for
// divergence.
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { dockerTest, type DockerTestArgs } from './docker.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { BUGS } from '../../raftkv/bugs.ts';
import { registerWorkload, RaftkvRegisterClient } from '../../workloads/register/index.ts';
import { setWorkload, RaftkvSetClient } from '../../workloads/set/index.ts';
import { bankWorkload, RaftkvBankClient } from '../../workloads/bank/index.ts';
import { counterWorkload, RaftkvCounterClient } from '../../workloads/counter/index.ts';
import { appendWorkload, APPEND_KEYS, RaftkvTxnClient } from '../../workloads/append/index.ts';
import { wrRegisterWorkload, WR_REGISTER_KEYS } from '../../workloads/wr-register/index.ts';
import type { RaftkvClientOptions } from '../../workloads/raftkv/client-base.ts';
import { raftkvStateSource } from '../../workloads/divergence/index.ts';
import { UserError } from '../../history/errors.ts';
import type { TestDefinition } from '../test-definition.ts';
import type { Workload } from '../../workloads/workload.ts';

export interface RaftkvTestArgs extends DockerTestArgs {
  readMode?: string;
  /** Seeded bugs to switch on (repeatable --bug). */
  bug?: string[];
  /** Log compaction interval, applied entries (server default 1000). */
  snapshotEvery?: number;
  /** Most log entries per AppendEntries message (server default 256). */
  maxAppendEntries?: number;
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

export function raftkvTest(args: RaftkvTestArgs, nodes: string[], seed: number): TestDefinition<DockerClusterInfo> {
  if (args.readMode === 'serializable') {
    throw new UserError('--read-mode serializable is an etcd option', `raftkv reads go through ReadIndex; local (stale) reads are a seeded bug: --bug stale-read. Known bugs: ${Object.keys(BUGS).join(', ')}`);
  }
  const m = args.maxAppendEntries;
  if (m !== undefined && !(Number.isInteger(m) && m >= 1)) throw new UserError(`--max-append-entries must be a whole number of entries, at least 1, got ${m}`);
  const s = args.snapshotEvery;
  if (s !== undefined && !(Number.isInteger(s) && s >= 0)) throw new UserError(`--snapshot-every must be a whole number of entries (0: never), got ${s}`);
  const bugs = args.bug ?? [];
  const bugPart = bugs.length ? `-${[...bugs].sort().join('+')}` : '';
  return dockerTest(args, nodes, seed, {
    db: raftkvDb({ bugs, snapshotEvery: args.snapshotEvery, maxAppendEntries: args.maxAppendEntries }),
    namePrefix: `raftkv${bugPart}`,
    workload: workloadFor(args),
    // Every node reports its state hash at one common applied index.
    stateSource: (info) => raftkvStateSource(info.urls),
    // raftkv promises pre-vote and check-quorum, so faults may cost an election or two each, not a flood.
    // (etcd 3.4 runs with its defaults, --pre-vote off: a node cut off raises the term by design there.)
    elections: {},
    options: {
      bugs,
      ...(args.snapshotEvery === undefined ? {} : { snapshotEvery: args.snapshotEvery }),
      ...(args.maxAppendEntries === undefined ? {} : { maxAppendEntries: args.maxAppendEntries }),
    },
  });
}
