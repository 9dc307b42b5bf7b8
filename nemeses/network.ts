// Partitions and packet loss: iptables drops on receive inside each node's
// network namespace (never on the host). Each kind owns one chain, so a
// partition and packet loss heal independently.
//
// Evidence (network-evidence.ts): after a partition is applied, every ordered
// pair of nodes is probed with a TCP connect from inside the source node and
// compared with the intended cut; packet loss shows as packets counted by its
// DROP rules. At the heal, the counters say how many packets each rule
// dropped (and so which direction was cut), and a probe shows every pair
// connecting again.
import type { DockerClusterInfo, ReachabilityProbe } from '../clusters/index.ts';
import { portOfUrl, probeReachability } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { Completion, FaultEffect, FaultEvidence, FaultValue } from '../history/index.ts';
import { errorText } from '../history/index.ts';
import { evidence, eachNode, sleep, withEffect } from './effect.ts';
import { sh, type Fault, type FaultSpec } from './fault.ts';
import { describeGrudge, lossGrudge, MIN_NODES, partitionGrudge, touched, type Grudge, type LossShape, type PartitionShape } from './grudge.ts';
import { applyScript, countersScript, dropsFor, healScript, parseCounters, type ChainCounters, type FaultChain } from './iptables.ts';
import { describeDropped, droppedPackets, judgeReachability, totalDropped } from './network-evidence.ts';

/** How long a loss fault's start waits for its first dropped packet (cluster heartbeats flow every 50-100 ms). */
const LOSS_EVIDENCE_BUDGET_MS = 1_500;
const LOSS_POLL_MS = 100;

/**
 * Apply a grudge with one exec per node, all nodes at once: nodes with a
 * grudge get exactly its drops in `chain`, the others get `chain` removed.
 * Throws naming every node whose script failed.
 */
export async function applyGrudge(info: DockerClusterInfo, chain: FaultChain, grudge: Grudge, probability?: number, opts: { hooked?: boolean } = {}): Promise<void> {
  const drops = dropsFor(grudge, (n) => info.cluster.node(n).ip, probability);
  const { errors } = await eachNode(info.nodes, (n) => {
    const d = drops.get(n);
    return sh(info, n, d ? applyScript(chain, d, opts) : healScript([chain]));
  });
  if (errors.length) throw new Error(errors.join('; '));
}

export async function healChains(info: DockerClusterInfo, chains: FaultChain[]): Promise<void> {
  await Promise.all(info.nodes.map((n) => sh(info, n, healScript(chains))));
}

/** Every ordered pair of nodes probed with a TCP connect to the peer's DB client port, from inside the source node. */
export function probeNetwork(info: DockerClusterInfo): Promise<ReachabilityProbe> {
  return probeReachability(info.cluster, (n) => portOfUrl(info.db.clientUrl(info.cluster, n)), { nodes: info.nodes });
}

const SEPARATOR = '--- faultline counters end ---';

/** One exec per node: print `chain`'s counters (optionally on `nodes` only), and with `heal` then remove it. */
async function readCounters(info: DockerClusterInfo, chain: FaultChain, opts: { heal?: boolean; nodes?: readonly string[] } = {}) {
  const script = opts.heal ? `${countersScript(chain)}\necho '${SEPARATOR}'\n${healScript([chain])}` : countersScript(chain);
  const { results, errors } = await eachNode(opts.nodes ?? info.nodes, async (n) => parseCounters((await sh(info, n, script)).split(SEPARATOR)[0]));
  return { counters: results as ReadonlyMap<string, ChainCounters>, errors };
}

/**
 * What the network faults in force intend, shared by the partition and loss
 * faults so that, with --nemesis-overlap, one fault's probe is judged
 * against the other still in force (a partition during loss, loss during a
 * partition).
 */
export class NetworkState {
  partition: Grudge = {};
  loss: Grudge = {};
}

abstract class NetworkFault implements Fault {
  abstract readonly kind: 'partition' | 'loss';
  protected abstract readonly chain: FaultChain;
  private hit: string[] = [];

  constructor(protected readonly state: NetworkState = new NetworkState()) {}

  protected abstract grudge(spec: FaultSpec, info: DockerClusterInfo, random: Random): Promise<Grudge | string>;
  protected abstract describe(spec: FaultSpec, grudge: Grudge, info: DockerClusterInfo): string;
  /** Look at the network once the grudge is applied: is the fault in force? */
  protected abstract observe(grudge: Grudge, info: DockerClusterInfo): Promise<{ effect: FaultEffect; evidence: FaultEvidence }>;
  /** This kind's grudge in the shared state. */
  protected abstract remember(grudge: Grudge): void;

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const g = await this.grudge(spec, info, new Random(spec.seed));
    // A string is why the fault cannot happen now (e.g. no leader): nothing was applied.
    if (typeof g === 'string') return { type: 'fail', error: g };
    // Remembered before applying: a heal must follow even if applying fails halfway.
    this.hit = touched(g);
    this.remember(g);
    const value: FaultValue = { fault: this.kind, nodes: this.hit, description: this.describe(spec, g, info), variant: spec.variant, grudge: g };
    try {
      // Only loss drops with a probability: a partition drops everything, whatever the spec carries.
      await applyGrudge(info, this.chain, g, this.kind === 'loss' ? spec.probability : undefined, { hooked: spec.sabotage !== 'unhooked-chain' });
    } catch (err) {
      return withEffect(value, 'no-effect', evidence('iptables failed'), [errorText(err)]);
    }
    const seen = await this.observe(g, info);
    return withEffect(value, seen.effect, seen.evidence);
  }

  /** Read what the rules dropped, remove them, then probe: every pair should connect again (but for other faults in force). */
  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = this.hit;
    this.forget();
    const { counters, errors } = await readCounters(info, this.chain, { heal: true });
    const dropped = droppedPackets(counters, (ip) => info.cluster.nodes.find((n) => n.ip === ip)?.name ?? ip);
    const healed = judgeReachability(this.kind === 'loss' ? this.state.partition : {}, info.nodes, await probeNetwork(info), this.kind === 'partition' ? this.state.loss : {});
    const value: FaultValue = {
      fault: this.kind,
      nodes,
      description: `healed (${this.chain} flushed on every node)`,
      // The counters show the fault at work while it lasted (for loss, the packets actually lost).
      faultEffect: totalDropped(dropped) > 0 ? 'took-effect' : 'unverified',
    };
    const ev = { ...healed.evidence, summary: `${healed.evidence.summary}; while it lasted: ${describeDropped(dropped)}`, dropped };
    return withEffect(value, healed.effect, ev, errors);
  }

  heal(info: DockerClusterInfo): Promise<void> {
    return healChains(info, [this.chain]);
  }

  forget(): void {
    this.hit = [];
    this.remember({});
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
    const leader = shape === 'leader' ? await info.db.leader(info.cluster) : undefined;
    if (shape === 'leader' && leader === undefined) return 'no leader to isolate';
    return partitionGrudge(shape, info.nodes, random, leader);
  }

  protected describe(spec: FaultSpec, g: Grudge, info: DockerClusterInfo): string {
    return `${spec.variant}: ${describeGrudge(g, info.nodes)}`;
  }

  /** Every ordered pair probed: the cut pairs time out, the others connect. */
  protected async observe(g: Grudge, info: DockerClusterInfo): Promise<{ effect: FaultEffect; evidence: FaultEvidence }> {
    return judgeReachability(g, info.nodes, await probeNetwork(info), this.state.loss);
  }

  protected remember(g: Grudge): void {
    this.state.partition = g;
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

  /**
   * Loss is random, so a probe proves little: wait (briefly) for the rules'
   * counters to show dropped packets. The cluster's own heartbeats are the traffic.
   */
  protected async observe(g: Grudge, info: DockerClusterInfo): Promise<{ effect: FaultEffect; evidence: FaultEvidence }> {
    const receivers = Object.keys(g).filter((n) => (g[n] ?? []).length > 0);
    const t0 = performance.now();
    for (;;) {
      const { counters, errors } = await readCounters(info, this.chain, { nodes: receivers });
      const ms = Math.round(performance.now() - t0);
      if (errors.length) return { effect: 'unverified', evidence: evidence(`could not read the counters: ${errors.join('; ')}`, { ms }) };
      const unhooked = receivers.filter((n) => (counters.get(n)?.references ?? 0) === 0);
      if (unhooked.length) return { effect: 'no-effect', evidence: evidence(`no packet reaches the loss rules on ${unhooked.join(' ')} (INPUT does not jump to ${this.chain})`, { unhooked, ms }) };
      const dropped = droppedPackets(counters, (ip) => info.cluster.nodes.find((n) => n.ip === ip)?.name ?? ip);
      if (totalDropped(dropped) > 0) return { effect: 'took-effect', evidence: evidence(`${describeDropped(dropped)} within ${ms} ms`, { dropped, ms }) };
      if (ms > LOSS_EVIDENCE_BUDGET_MS) {
        return { effect: 'unverified', evidence: evidence(`rules in place, but no packet dropped within ${ms} ms (no traffic on the lossy links yet)`, { ms }) };
      }
      await sleep(LOSS_POLL_MS);
    }
  }

  protected remember(g: Grudge): void {
    this.state.loss = g;
  }
}
