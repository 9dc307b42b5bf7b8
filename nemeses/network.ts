// Partitions and packet loss: iptables drops on receive inside each node's
// network namespace (never on the host). Each kind owns one chain, so a
// partition and packet loss heal independently.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { Completion } from '../history/index.ts';
import { ok, sh, type Fault, type FaultSpec } from './fault.ts';
import { describeGrudge, lossGrudge, MIN_NODES, partitionGrudge, touched, type Grudge, type LossShape, type PartitionShape } from './grudge.ts';
import { applyScript, dropsFor, healScript, type FaultChain } from './iptables.ts';

/**
 * Apply a grudge with one exec per node, all nodes at once: nodes with a
 * grudge get exactly its drops in `chain`, the others get `chain` removed.
 */
export async function applyGrudge(info: DockerClusterInfo, chain: FaultChain, grudge: Grudge, probability?: number): Promise<void> {
  const drops = dropsFor(grudge, (n) => info.docker.node(n).ip, probability);
  await Promise.all(
    info.nodes.map((n) => {
      const d = drops.get(n);
      return sh(info, n, d ? applyScript(chain, d) : healScript([chain]));
    }),
  );
}

export async function healChains(info: DockerClusterInfo, chains: FaultChain[]): Promise<void> {
  await Promise.all(info.nodes.map((n) => sh(info, n, healScript(chains))));
}

abstract class NetworkFault implements Fault {
  abstract readonly kind: 'partition' | 'loss';
  protected abstract readonly chain: FaultChain;
  private hit: string[] = [];

  protected abstract grudge(spec: FaultSpec, info: DockerClusterInfo, random: Random): Promise<Grudge | string>;
  protected abstract describe(spec: FaultSpec, grudge: Grudge, info: DockerClusterInfo): string;

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const g = await this.grudge(spec, info, new Random(spec.seed));
    // A string is why the fault cannot happen now (e.g. no leader): nothing was applied.
    if (typeof g === 'string') return { type: 'fail', error: g };
    await applyGrudge(info, this.chain, g, spec.probability);
    this.hit = touched(g);
    return ok({ fault: this.kind, nodes: this.hit, description: this.describe(spec, g, info), variant: spec.variant, grudge: g });
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    await this.heal(info);
    const nodes = this.hit;
    this.hit = [];
    return ok({ fault: this.kind, nodes, description: `healed (${this.chain} flushed on every node)` });
  }

  heal(info: DockerClusterInfo): Promise<void> {
    return healChains(info, [this.chain]);
  }

  forget(): void {
    this.hit = [];
  }
}

export class PartitionFault extends NetworkFault {
  readonly kind = 'partition';
  protected readonly chain = 'faultline-partition';

  protected async grudge(spec: FaultSpec, info: DockerClusterInfo, random: Random): Promise<Grudge | string> {
    const shape = spec.variant as PartitionShape;
    // A random pick among shapes may land on one this cluster is too small for (setup checked that some fit).
    if (info.nodes.length < MIN_NODES[shape]) return `partition ${shape} needs at least ${MIN_NODES[shape]} nodes`;
    // Ask who leads right before the fault: the answer at the start of the run is stale.
    const leader = shape === 'leader' ? await info.db.leader(info.docker) : undefined;
    if (shape === 'leader' && leader === undefined) return 'no leader to isolate';
    return partitionGrudge(shape, info.nodes, random, leader);
  }

  protected describe(spec: FaultSpec, g: Grudge, info: DockerClusterInfo): string {
    return `${spec.variant}: ${describeGrudge(g, info.nodes)}`;
  }
}

export class LossFault extends NetworkFault {
  readonly kind = 'loss';
  protected readonly chain = 'faultline-loss';

  protected async grudge(spec: FaultSpec, info: DockerClusterInfo, random: Random): Promise<Grudge> {
    return lossGrudge(spec.variant as LossShape, info.nodes, random);
  }

  protected describe(spec: FaultSpec, g: Grudge, info: DockerClusterInfo): string {
    return `${spec.variant}: ${Math.round((spec.probability ?? 1) * 100)}% of packets dropped across ${describeGrudge(g, info.nodes)}`;
  }
}
