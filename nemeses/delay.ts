// Message delay: a share of a node's outgoing peer messages is held back for
// a random while, so they arrive late and out of order (an old snapshot after
// a newer one, a leader's append after its successor's). The classic tool is
// tc netem, which this kernel lacks (no sch_netem), so the fault exists only
// for DBs that can hold messages back in their own peer transport and say so
// with db.delayPeerMessages (raftkv: raftkv/transport.ts). For etcd
// it is refused before anything starts, not faked.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { DB } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import type { Completion } from '../history/index.ts';
import { ok, sortNodes, targetNodes, type Fault, type FaultSpec } from './fault.ts';

/** The delay a start-delay op applies when its spec names no magnitudes (the schedule always names them). */
export const DEFAULT_DELAY = { probability: 0.5, maxMs: 1000 } as const;

export function assertDelaySupported(db: Pick<DB, 'name' | 'delayPeerMessages'>): void {
  if (!db.delayPeerMessages) {
    throw new UserError(
      `message delay unsupported for ${db.name}: it needs tc netem, and this kernel has no sch_netem module`,
      'Use loss for a degraded network instead; raftkv delays messages in its own peer transport.',
    );
  }
}

export class DelayFault implements Fault {
  readonly kind = 'delay';
  private delayed = new Set<string>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    assertDelaySupported(info.db);
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to delay' };
    const delay = { probability: spec.probability ?? DEFAULT_DELAY.probability, maxMs: spec.maxDelayMs ?? DEFAULT_DELAY.maxMs };
    for (const n of nodes) this.delayed.add(n);
    await Promise.all(nodes.map((n) => info.db.delayPeerMessages!(info.docker, n, delay)));
    return ok({
      fault: 'delay',
      nodes,
      description: `${Math.round(delay.probability * 100)}% of peer messages from ${nodes.join(' ')} held up to ${delay.maxMs} ms (${spec.variant})`,
      variant: spec.variant,
    });
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.delayed);
    await this.clear(info, nodes);
    return ok({ fault: 'delay', nodes, description: `peer messages from ${nodes.join(' ') || 'no node'} go at once again` });
  }

  /** Every node's sends back to normal (a node that is down has no delay to clear: it starts without one). */
  async heal(info: DockerClusterInfo): Promise<void> {
    if (info.db.delayPeerMessages) await this.clear(info, info.nodes, true);
  }

  forget(): void {
    this.delayed.clear();
  }

  private async clear(info: DockerClusterInfo, nodes: readonly string[], skipDown = false): Promise<void> {
    this.forget();
    await Promise.all(
      nodes.map((n) => info.db.delayPeerMessages!(info.docker, n, null).catch((err: Error) => {
        if (!skipDown) throw err;
      })),
    );
  }
}
