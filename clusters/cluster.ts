// The cluster protocol: a database cluster's lifecycle as the run loop drives
// it. DockerDbCluster (docker-db-cluster.ts) implements it for real nodes; the
// in-memory system (harness/systems/memory.ts) for dry runs and tests.
import type { Coverage, RaftTrace } from '../history/index.ts';

/** What the cluster looks like once it is up. Backends extend it (endpoints, container ids ...). */
export interface ClusterInfo {
  /** Node names, in order; workers are bound to them round-robin. */
  nodes: string[];
}

/** A DB cluster's lifecycle, as the run loop calls it. */
export interface Cluster<I extends ClusterInfo = ClusterInfo> {
  /** DB name, e.g. 'etcd', 'raftkv', 'memory'. */
  readonly name: string;
  /** DB version for test.json (may need the cluster up: called after setup). */
  version?(): Promise<string> | string;
  /**
   * Create nodes and start the DB on each. `runDir` is the run's folder: a
   * cluster keeps its node files under runDir/nodes/ there, so they outlive
   * a killed controller and nothing is left in the temp folder.
   */
  setup(runDir?: string): Promise<I>;
  /** Resolves once every node serves requests; rejects when it gives up. */
  waitHealthy(info: I, timeoutMs: number): Promise<void>;
  /** Copy each node's logs under dir/<node>/. */
  collectLogs(info: I, dir: string): Promise<void>;
  /**
   * The Raft events the run reached (history/coverage.ts), read from the
   * logs collectLogs left under dir/<node>/. Absent, or undefined: the DB cannot tell.
   */
  coverage?(info: I, dir: string): Promise<Coverage | undefined>;
  /** The members' own account of their Raft state (history/raft-trace.ts), from the same logs; undefined: the DB cannot tell. */
  raftTrace?(info: I, dir: string): Promise<RaftTrace | undefined>;
  /** Remove everything setup created. Called exactly once, whatever happened. */
  teardown(): Promise<void>;
}
