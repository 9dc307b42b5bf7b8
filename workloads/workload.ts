// The workload protocol: a client per worker and the generator of its ops,
// plus the checkers the resulting history needs.
import type { Checker } from '../checkers/index.ts';
import type { ClusterInfo } from '../clusters/index.ts';
import type { Generator } from '../generator/index.ts';
import type { Completion, Op } from '../history/index.ts';

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

/**
 * A system's client for one workload: the one shape every workload factory
 * takes. `params` is what the workload tells the client beyond the cluster
 * (the bank's shape, a transaction workload's keys, the lock's name); most
 * workloads pass nothing.
 */
export type MakeClient<I extends ClusterInfo = ClusterInfo, P = undefined> = (info: I, params: P) => Client;

export interface Workload<I extends ClusterInfo = ClusterInfo> {
  name: string;
  /** Client ops during the main phase (the run loop adds rate and time limit). */
  generator(): Generator;
  /** Ops after faults are healed, e.g. eachWorker(() => once({ f: 'read' })). Runs once per worker. */
  finalGenerator?(): Generator;
  client(cluster: I): Client;
  checkers: Checker[];
}
