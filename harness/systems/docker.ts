// What every Docker-backed test shares, whatever the database: the nemesis
// schedule from --nemesis/--nemesis-interval, the divergence check after the
// final reads, the faults check (every requested fault kind took effect, the
// final heal worked), the cluster, and the options test.json records. etcd-test.ts
// and raftkv-test.ts only say which DB, which client per workload, and how
// a node reports its state.
import { DockerDbCluster, type DockerClusterInfo, type hosts } from '../../clusters/index.ts';
import type { DB } from '../../clusters/index.ts';
import { nemesisPlan, parseFailpointsOption, parseNemesisOption, parseSeconds, resolveNemeses } from '../../nemeses/index.ts';
import { checkerFromSpec } from '../../checkers/index.ts';
import { withDivergence, type StateSource } from '../../workloads/divergence/index.ts';
import type { NemesisPlan } from '../../nemeses/index.ts';
import type { TestDefinition } from '../test-definition.ts';
import type { Workload } from '../../workloads/index.ts';
import { UserError } from '../../history/index.ts';
import type { ElectionsConfig } from '../../checkers/index.ts';

/** The CLI options every Docker-backed test reads. */
export interface DockerTestArgs {
  workload: string;
  nemesis: string;
  concurrency?: number;
  rate?: number;
  timeLimit: number;
  opTimeout: number;
  image?: string;
  /** Quiet period before each fault: '10s', '500ms', 10. */
  nemesisInterval?: string;
  /** Faults of different kinds overlap (one timeline per kind). */
  nemesisOverlap?: boolean;
  /** Delay faults: share of peer messages held back, and the longest hold ('1s', '300ms'). */
  delayProbability?: number;
  delayMax?: string;
  /** Failpoint faults: which failpoints (etcd's names, comma-separated; default all the DB has). */
  failpoints?: string;
  /** A fault kind that never took effect leaves the run valid (a note) instead of unknown. */
  allowIneffectiveFaults?: boolean;
  /** Run the nodes on these machines over SSH (--hosts), one node per host. */
  hostEntries?: readonly hosts.HostEntry[];
  [other: string]: unknown;
}

export interface DockerTestParts {
  db: DB;
  /** Test name prefix, e.g. 'etcd' or 'raftkv-stale-read'. */
  namePrefix: string;
  workload: Workload<DockerClusterInfo>;
  /** How a node reports its state hash for the divergence check; absent: no divergence check (test.json says so). */
  stateSource?: (info: DockerClusterInfo) => StateSource;
  /** Check leadership churn too (the state reports carry terms); for DBs that promise pre-vote and check-quorum. */
  elections?: ElectionsConfig;
  /** DB-specific options for test.json. */
  options: Record<string, unknown>;
}

function nemesisFor(args: DockerTestArgs, db: DB, nodeCount: number): NemesisPlan<DockerClusterInfo> | undefined {
  const names = parseNemesisOption(args.nemesis);
  if (names.length === 0) return undefined;
  const intervalS = parseSeconds(args.nemesisInterval ?? '10s');
  // Names, the DB and the cluster size are checked first: those errors say more than the timing one below.
  const plan = nemesisPlan(names, {
    intervalS,
    db,
    nodeCount,
    overlap: args.nemesisOverlap === true,
    // A host is a machine faultline cannot swap for a new one (member-replace).
    fixedMachines: args.hostEntries !== undefined,
    ...(args.delayProbability === undefined ? {} : { delayProbability: args.delayProbability }),
    ...(args.delayMax === undefined ? {} : { delayMaxMs: parseSeconds(args.delayMax, '--delay-max') * 1000 }),
    ...(args.failpoints === undefined ? {} : { failpoints: parseFailpointsOption(args.failpoints) }),
  });
  // The first fault starts after one quiet interval: a run shorter than that asked for faults and would get none.
  if (intervalS >= args.timeLimit) {
    throw new UserError(
      `--nemesis ${args.nemesis} would inject nothing: the first fault starts after --nemesis-interval ${args.nemesisInterval ?? '10s'} of quiet, ` +
        `and --time-limit ${args.timeLimit} s ends the run before that`,
      'Lower --nemesis-interval, raise --time-limit, or say --nemesis none.',
    );
  }
  return plan;
}

/**
 * Faults that need the nodes on this machine (DockerCluster's live node
 * folder) or /proc inside the node; each says why.
 */
const NOT_ON_HOSTS: Record<string, string> = {
  'lose-unsynced': 'its filesystem (lazyfs) is mounted on the controller, not on the hosts',
  failpoint: 'it reads the DB\'s pid and log from the node folder while the DB runs, and on hosts that folder is not on the controller',
  'election-storm': 'it wakes the frozen members through FIFOs in the node folder, which on hosts is not on the controller',
};

function refuseOnHosts(kinds: readonly string[]): void {
  const refused = kinds.filter((k) => k in NOT_ON_HOSTS);
  if (refused.length) {
    throw new UserError(`--hosts: ${refused.map((k) => `${k} is unsupported (${NOT_ON_HOSTS[k]})`).join('; ')}`, 'Drop these from --nemesis, or run without --hosts.');
  }
}

export function dockerTest(args: DockerTestArgs, nodes: string[], seed: number, parts: DockerTestParts): TestDefinition<DockerClusterInfo> {
  const nemesis = nemesisFor(args, parts.db, nodes.length);
  // After the final reads every node reports its state at one common point
  // (checkers/divergence.ts); those ops must finish inside the op timeout.
  const withState = parts.stateSource
    ? withDivergence(parts.workload, {
        nodeCount: nodes.length,
        source: parts.stateSource,
        budgetMs: Math.max(1000, args.opTimeout - 500),
        ...(parts.elections ? { elections: parts.elections } : {}),
      })
    : parts.workload;
  // With faults, the verdict also says whether they took effect: a run whose faults did nothing proves little.
  const requested = [...new Set(resolveNemeses(parseNemesisOption(args.nemesis)).map((c) => c.kind))];
  if (args.hostEntries) refuseOnHosts(requested);
  const faultsCheck = checkerFromSpec({ name: 'faults', config: { requested, ...(args.allowIneffectiveFaults ? { allowIneffective: true } : {}) } });
  const workload = nemesis ? { ...withState, checkers: [...withState.checkers, faultsCheck] } : withState;
  return {
    name: `${parts.namePrefix}-${args.workload}-${args.nemesis.replace(/,/g, '+')}`,
    nodes,
    db: new DockerDbCluster({
      db: parts.db,
      nodeCount: nodes.length,
      image: args.image,
      lazyDisks: requested.includes('lose-unsynced'),
      ...(args.hostEntries ? { hosts: args.hostEntries } : {}),
    }),
    workload,
    ...(nemesis ? { nemesis } : {}),
    timeLimit: args.timeLimit,
    concurrency: args.concurrency ?? 2 * nodes.length,
    rate: args.rate,
    seed,
    options: {
      db: parts.db.name,
      workload: args.workload,
      nemesis: args.nemesis,
      opTimeoutMs: args.opTimeout,
      nemesisInterval: args.nemesisInterval ?? '10s',
      ...(args.nemesisOverlap ? { nemesisOverlap: true } : {}),
      ...(args.delayProbability === undefined ? {} : { delayProbability: args.delayProbability }),
      ...(args.delayMax === undefined ? {} : { delayMax: args.delayMax }),
      ...(args.failpoints === undefined ? {} : { failpoints: args.failpoints }),
      ...(args.allowIneffectiveFaults ? { allowIneffectiveFaults: true } : {}),
      ...(parts.stateSource ? {} : { divergenceCheck: false }),
      ...(args.hostEntries ? { hosts: args.hostEntries.map((h) => `${h.name}=${h.user}@${h.address}:${h.port}`) } : {}),
      ...parts.options,
    },
  };
}
