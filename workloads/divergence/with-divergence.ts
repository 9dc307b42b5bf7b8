// Adds the divergence check to any workload: after the workload's own final
// ops, one 'state-hash' op per node (the run loop binds worker w to node
// w mod |nodes|, so workers 0..n-1 cover every node once), answered by the
// DB's StateSource instead of the workload's client, and the divergence
// checker on top of the workload's own.
import { STATE_HASH_F } from '../../checkers/index.ts';
import type { ElectionsConfig } from '../../checkers/index.ts';
import { checkerFromSpec } from '../../checkers/index.ts';
import { eachWorker, empty, once, phases, type Generator } from '../../generator/index.ts';
import type { Op } from '../../history/index.ts';
import type { Client, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import { observationFailed } from './report.ts';
import type { StateSource } from './source.ts';

export interface DivergenceOptions<I extends ClusterInfo> {
  /** Nodes in the cluster: how many workers issue a state-hash op. */
  nodeCount: number;
  /** The DB's state source for a running cluster. */
  source: (info: I) => StateSource;
  /** Time one state-hash op may take; keep it below the run's op timeout (past that the op would be info). */
  budgetMs: number;
  /** Also check leadership churn from the terms the reports carry (checkers/elections.ts). */
  elections?: ElectionsConfig;
}

/** Final-phase ops: exactly one state-hash op from each of the first `nodeCount` workers. */
export function stateHashGenerator(nodeCount: number): Generator {
  return eachWorker((w) => (typeof w === 'number' && w < nodeCount ? once({ f: STATE_HASH_F }) : empty()));
}

/** One run's collection: the common index is looked up once and shared by every node's op. */
class Collection {
  private common?: Promise<number>;

  constructor(
    private readonly source: StateSource,
    private readonly budgetMs: number,
  ) {}

  async observe(node: string): Promise<Completion> {
    const deadline = Date.now() + this.budgetMs;
    let index: number | undefined;
    try {
      this.common ??= this.source.commonIndex(deadline);
      index = await this.common;
      return { type: 'ok', value: await this.source.report(node, index, deadline) };
    } catch (err) {
      // No common index: let the next node's op try again.
      if (index === undefined) this.common = undefined;
      return observationFailed(node, err, index);
    }
  }
}

class StateHashClient implements Client {
  private node = '';

  constructor(
    private readonly inner: Client,
    private readonly collection: Collection,
  ) {}

  open(node: string): Promise<void> {
    this.node = node;
    return this.inner.open(node);
  }

  invoke(op: Op): Promise<Completion> {
    return op.f === STATE_HASH_F ? this.collection.observe(op.node ?? this.node) : this.inner.invoke(op);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export function withDivergence<I extends ClusterInfo>(workload: Workload<I>, opts: DivergenceOptions<I>): Workload<I> {
  const collections = new WeakMap<I, Collection>();
  const collectionFor = (info: I): Collection => {
    let c = collections.get(info);
    if (!c) collections.set(info, (c = new Collection(opts.source(info), opts.budgetMs)));
    return c;
  };
  return {
    ...workload,
    finalGenerator: () => phases(workload.finalGenerator?.() ?? empty(), stateHashGenerator(opts.nodeCount)),
    client: (info) => new StateHashClient(workload.client(info), collectionFor(info)),
    checkers: [
      ...workload.checkers,
      checkerFromSpec({ name: 'divergence' }),
      ...(opts.elections ? [checkerFromSpec({ name: 'elections', config: { ...opts.elections } })] : []),
    ],
  };
}
