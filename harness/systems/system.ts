// What a system under test is to faultline: a name, the workloads it has a
// client for, the options only it understands, how to start it on Docker
// nodes (for `faultline cluster up`) and the test a set of options describes.
import type { ClusterInfo } from '../../clusters/index.ts';
import type { DB } from '../../clusters/index.ts';
import type { TestDefinition } from '../test-definition.ts';

/** The options `faultline test` parses (the CLI's flags), before a system is chosen. */
export interface CommonArgs {
  workload: string;
  concurrency?: number;
  rate?: number;
  timeLimit: number;
  opTimeout: number;
  [option: string]: unknown;
}

/** What a system gets: the options, with the faults to inject settled. */
export interface SystemArgs extends CommonArgs {
  nemesis: string;
}

/** An option only some systems understand: given to another, it is refused with `refusal`. */
export interface OwnOption {
  /** Key in the parsed options, e.g. 'snapshotEvery'. */
  key: string;
  refusal(db: string): string;
}

/**
 * A setting of the system that explore may turn per run (faultline explore):
 * bugs hide in code paths a default configuration rarely takes (log
 * compaction, replication in small batches), so each run draws one of
 * `values` for `option`, a `faultline test` option.
 */
export interface ExploreKnob {
  option: string;
  values: readonly string[];
}

export interface System<A extends SystemArgs = SystemArgs, I extends ClusterInfo = ClusterInfo> {
  readonly name: string;
  /** One line for --help. */
  readonly describe: string;
  /** Workloads it has a client for. */
  readonly workloads: readonly string[];
  readonly ownOptions?: readonly OwnOption[];
  /** Settings explore varies from run to run (the first value is the default). */
  readonly exploreKnobs?: readonly ExploreKnob[];
  /** Why `--hosts` cannot run it; absent: its nodes run on machines over SSH as on Docker. */
  readonly notOnHosts?: string;
  /** The database on Docker nodes; absent for systems that need no Docker (memory). */
  db?(args: Partial<A>): DB;
  test(args: A, nodes: string[], seed: number): TestDefinition<I>;
}
