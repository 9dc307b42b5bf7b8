// `faultline test --db raftkv`: the test a set of CLI options describes against
// faultline's own Raft KV server (raftkv/, started by clusters/raftkv) in containers, seeded bugs
// included (--bug NAME), and the mutation suite's planted bugs (--mutant NAME,
// for measuring faultline itself; recipes never use them). Every workload and every nemesis applies, clock
// faults too: the server runs under libfaketime. After the workload's final
// reads, each node reports its state hash at one common index, checked for
// divergence.
import type { DockerClusterInfo } from '../../clusters/index.ts';
import { dockerTest, type DockerTestArgs } from './docker.ts';
import { raftkvDb } from '../../clusters/raftkv/index.ts';
import { BUGS } from '../../raftkv/index.ts';
import { workloadFor, type ClientTable } from '../../workloads/index.ts';
import { RaftkvRegisterClient } from '../../workloads/register/index.ts';
import { RaftkvSetClient } from '../../workloads/set/index.ts';
import { RaftkvBankClient } from '../../workloads/bank/index.ts';
import { RaftkvCounterClient } from '../../workloads/counter/index.ts';
import { RaftkvTxnClient } from '../../workloads/append/index.ts';
import type { RaftkvClientOptions } from '../../workloads/index.ts';
import { raftkvStateSource } from '../../workloads/divergence/index.ts';
import { UserError } from '../../history/index.ts';
import type { TestDefinition } from '../test-definition.ts';
import type { System } from './system.ts';

export interface RaftkvTestArgs extends DockerTestArgs {
  readMode?: string;
  /** Seeded bugs to switch on (repeatable --bug). */
  bug?: string[];
  /** Planted bugs of the mutation suite (repeatable --mutant; raftkv/mutants.ts). */
  mutant?: string[];
  /** Log compaction interval, applied entries (server default 1000). */
  snapshotEvery?: number;
  /** Most log entries per AppendEntries message (server default 256). */
  maxAppendEntries?: number;
}

/** raftkv's client per workload; `o` is what every request shares (timeout). */
export function raftkvClients(o: Omit<RaftkvClientOptions, 'urls'>): ClientTable<DockerClusterInfo> {
  return {
    register: (info) => new RaftkvRegisterClient({ ...o, urls: info.urls }),
    set: (info) => new RaftkvSetClient({ ...o, urls: info.urls }),
    bank: (info, bank) => new RaftkvBankClient({ ...o, urls: info.urls, ...bank }),
    counter: (info) => new RaftkvCounterClient({ ...o, urls: info.urls }),
    append: (info, keys) => new RaftkvTxnClient({ ...o, urls: info.urls, ...keys }),
    'wr-register': (info, keys) => new RaftkvTxnClient({ ...o, urls: info.urls, ...keys }),
  };
}

function raftkvTest(args: RaftkvTestArgs, nodes: string[], seed: number): TestDefinition<DockerClusterInfo> {
  if (args.readMode === 'serializable') {
    throw new UserError('--read-mode serializable is an etcd option', `raftkv reads go through ReadIndex; local (stale) reads are a seeded bug: --bug stale-read. Known bugs: ${Object.keys(BUGS).join(', ')}`);
  }
  const m = args.maxAppendEntries;
  if (m !== undefined && !(Number.isInteger(m) && m >= 1)) throw new UserError(`--max-append-entries must be a whole number of entries, at least 1, got ${m}`);
  const s = args.snapshotEvery;
  if (s !== undefined && !(Number.isInteger(s) && s >= 0)) throw new UserError(`--snapshot-every must be a whole number of entries (0: never), got ${s}`);
  const bugs = args.bug ?? [];
  const mutants = args.mutant ?? [];
  const bugPart = bugs.length ? `-${[...bugs].sort().join('+')}` : '';
  const mutantPart = mutants.length ? `-mutant-${[...mutants].sort().join('+')}` : '';
  return dockerTest(args, nodes, seed, {
    db: raftkvDb({ bugs, mutants, snapshotEvery: args.snapshotEvery, maxAppendEntries: args.maxAppendEntries }),
    namePrefix: `raftkv${bugPart}${mutantPart}`,
    workload: workloadFor('raftkv', raftkvClients({ timeoutMs: args.opTimeout }), args.workload),
    // Every node reports its state hash at one common applied index.
    stateSource: (info) => raftkvStateSource(info.urls),
    // raftkv promises pre-vote and check-quorum, so faults may cost an election or two each, not a flood.
    // (etcd 3.4 runs with its defaults, --pre-vote off: a node cut off raises the term by design there.)
    elections: {},
    options: {
      bugs,
      ...(mutants.length ? { mutants } : {}),
      ...(args.snapshotEvery === undefined ? {} : { snapshotEvery: args.snapshotEvery }),
      ...(args.maxAppendEntries === undefined ? {} : { maxAppendEntries: args.maxAppendEntries }),
    },
  });
}

export const raftkvSystem: System<RaftkvTestArgs, DockerClusterInfo> = {
  name: 'raftkv',
  describe: "faultline's own Raft KV server in containers, with seeded bugs (--bug)",
  workloads: Object.keys(raftkvClients({ timeoutMs: 0 })),
  ownOptions: [
    { key: 'bug', refusal: (db) => `--bug switches on raftkv's seeded bugs; --db ${db} has none` },
    { key: 'mutant', refusal: (db) => `--mutant plants a bug of raftkv's mutation suite; --db ${db} has none (use --db raftkv)` },
    { key: 'snapshotEvery', refusal: (db) => `--snapshot-every is a raftkv server option; --db ${db} has no such setting` },
    { key: 'maxAppendEntries', refusal: (db) => `--max-append-entries is a raftkv server option; --db ${db} has no such setting` },
  ],
  // Snapshots every 1000 entries and batches of 256 are rarely exercised by a
  // short run: frequent compaction makes InstallSnapshot meet followers that
  // still hold entries, and tiny batches make catch-up take many appends,
  // each a chance for a follower to act on a partly repaired log.
  exploreKnobs: [
    { option: '--snapshot-every', values: ['1000', '100', '20'] },
    { option: '--max-append-entries', values: ['256', '16', '2'] },
  ],
  db: (args) => raftkvDb({ bugs: args.bug ?? [], mutants: args.mutant ?? [], snapshotEvery: args.snapshotEvery, maxAppendEntries: args.maxAppendEntries }),
  test: raftkvTest,
};
