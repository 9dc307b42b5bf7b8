// What a test is made of, and the interfaces the run loop drives. The Docker
// cluster, etcd clients and iptables nemeses implement these elsewhere
// (clusters/, workloads/, nemeses/); tests use the in-memory DB in
// test/support/memdb.ts.
import type { Generator, Seed } from './generator/index.ts';
import type { History, Op } from './op.ts';
import type { CheckResult } from '../checkers/result.ts';

/** How an op ended, as a client or nemesis reports it. index/time/process are filled in by the run loop. */
export interface Completion {
  /** ok: happened; fail: definitely did not happen; info: unknown. */
  type: 'ok' | 'fail' | 'info';
  /** The result (e.g. the value read); for nemesis ops, a FaultValue. */
  value?: unknown;
  error?: string;
}

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
  /** Create nodes and start the DB on each. */
  setup(): Promise<I>;
  /** Resolves once every node serves requests; rejects when it gives up. */
  waitHealthy(info: I, timeoutMs: number): Promise<void>;
  /** Copy each node's logs under dir/<node>/. */
  collectLogs(info: I, dir: string): Promise<void>;
  /** Remove everything setup created. Called exactly once, whatever happened. */
  teardown(): Promise<void>;
}

/**
 * One client per worker, opened against the worker's node. invoke() resolves
 * to ok, fail (definitely not applied) or info (unknown); a throw counts as
 * info. After an info the run loop closes the client and opens a fresh one.
 */
export interface Client {
  open(node: string): Promise<void>;
  invoke(op: Op): Promise<Completion>;
  close(): Promise<void>;
}

/** How test.json names a checker: enough for `faultline analyze` to rebuild it (harness/checker-registry.ts). */
export interface CheckerSpec {
  name: string;
  /** JSON-serialisable options, e.g. { model: 'cas-register' }. */
  config?: Record<string, unknown>;
}

/** A checker the run loop calls on the finished history. Pure: no I/O. */
export interface Checker {
  readonly name: string;
  /** Options that rebuild this checker by name (see CheckerSpec). */
  readonly config?: Record<string, unknown>;
  check(history: History, ctx: CheckContext): CheckResult | Promise<CheckResult>;
}

export interface CheckContext {
  nodes: string[];
  /** The workload's name, so a checker can pick a model. */
  workload: string;
}

export interface Workload<I extends ClusterInfo = ClusterInfo> {
  name: string;
  /** Client ops during the main phase (the run loop adds rate and time limit). */
  generator(): Generator;
  /** Ops after faults are healed, e.g. eachWorker(() => once({ f: 'read' })). Runs once per worker. */
  finalGenerator?(): Generator;
  client(cluster: I): Client;
  checkers: Checker[];
}

/**
 * Injects faults. Ops follow the start-X / stop-X convention (harness/op.ts);
 * invoke resolves to the completion whose value is a FaultValue.
 */
export interface Nemesis<I extends ClusterInfo = ClusterInfo> {
  name: string;
  setup?(cluster: I): Promise<void>;
  invoke(fault: Op, cluster: I): Promise<Completion>;
  /** Heal every fault this nemesis may have caused. Must be safe to call at any time, repeatedly. */
  healAll(cluster: I): Promise<void>;
}

export interface NemesisPlan<I extends ClusterInfo = ClusterInfo> {
  /** Fault ops for the 'nemesis' worker; its own random stream. */
  generator(): Generator;
  nemesis: Nemesis<I>;
}

export interface TestDefinition<I extends ClusterInfo = ClusterInfo> {
  /** Store folder name, e.g. 'etcd-register-partition'. */
  name: string;
  /** Node names requested from the cluster (the cluster's setup() answer wins). */
  nodes: string[];
  db: Cluster<I>;
  workload: Workload<I>;
  nemesis?: NemesisPlan<I>;
  /** Length of the main phase, seconds. */
  timeLimit: number;
  /** Client workers. */
  concurrency: number;
  /** Target client ops per second across all workers; undefined = as fast as possible. */
  rate?: number;
  seed: Seed;
  /** Anything else worth keeping in test.json (CLI options ...). JSON-serialisable. */
  options?: Record<string, unknown>;
}
