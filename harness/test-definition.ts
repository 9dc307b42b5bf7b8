// What a test is made of: a cluster, a workload, optional faults, limits and
// a seed. Each part's protocol lives with its layer (clusters/cluster.ts,
// workloads/workload.ts, nemeses/protocol.ts, checkers/checker.ts).
import type { ClusterInfo, Cluster } from '../clusters/index.ts';
import type { Seed } from '../generator/index.ts';
import type { NemesisPlan } from '../nemeses/index.ts';
import type { Workload } from '../workloads/index.ts';

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
