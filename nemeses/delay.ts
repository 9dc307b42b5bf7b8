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
import { sortNodes, targetNodes, type Fault, type FaultSpec } from './fault.ts';
import { eachNode, evidence, sleep, withEffect } from './effect.ts';

/** How long a delay's start waits for its nodes to hold back a first batch (raftkv heartbeats every 50 ms). */
const DELAY_EVIDENCE_BUDGET_MS = 1_500;

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
  /** Node -> batches it had held back when the delay began (what the heal compares against). */
  private delayed = new Map<string, number | undefined>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    assertDelaySupported(info.db);
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to delay' };
    const delay = { probability: spec.probability ?? DEFAULT_DELAY.probability, maxMs: spec.maxDelayMs ?? DEFAULT_DELAY.maxMs };
    for (const n of nodes) this.delayed.set(n, undefined);
    const before = await heldBack(info, nodes);
    for (const [n, count] of before) this.delayed.set(n, count);
    const { errors } = await eachNode(nodes, (n) => info.db.delayPeerMessages!(info.cluster, n, delay));
    const value = {
      fault: 'delay',
      nodes,
      description: `${Math.round(delay.probability * 100)}% of peer messages from ${nodes.join(' ')} held up to ${delay.maxMs} ms (${spec.variant})`,
      variant: spec.variant,
    };
    if (errors.length) return withEffect(value, 'no-effect', evidence('the delay could not be set'), errors);
    const seen = await this.observe(info, nodes, before);
    return withEffect(value, seen.effect, seen.evidence);
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const started = new Map(this.delayed);
    const nodes = sortNodes(started.keys());
    this.forget();
    const { errors } = await eachNode(nodes, (n) => info.db.delayPeerMessages!(info.cluster, n, null));
    const value = { fault: 'delay', nodes, description: `peer messages from ${nodes.join(' ') || 'no node'} go at once again` };
    if (!info.db.nodeReport) return withEffect(value, 'unverified', evidence(`${info.db.name} does not report its message delay`), errors);
    const { results, errors: unread } = await eachNode(nodes, (n) => info.db.nodeReport!(info.cluster, n));
    const stillOn = [...results].filter(([, r]) => r.peerDelay).map(([n]) => n);
    const held = Object.fromEntries([...results].map(([n, r]) => [n, (r.delayedBatches ?? 0) - (started.get(n) ?? r.delayedBatches ?? 0)]));
    const effect = stillOn.length ? 'no-effect' : unread.length ? 'unverified' : 'took-effect';
    const total = Object.values(held).reduce((a, b) => a + b, 0);
    const summary = stillOn.length ? `delay still on at ${stillOn.join(' ')}` : `no delay left on ${nodes.join(' ') || 'any node'}; ${total} batches held back while it lasted`;
    return withEffect({ ...value, faultEffect: total > 0 ? 'took-effect' : 'unverified' }, effect, evidence(summary, { heldBack: held }), [...errors, ...unread]);
  }

  /** After setting the delay: each node's status shows it, and counts batches held back (within a short budget). */
  private async observe(info: DockerClusterInfo, nodes: readonly string[], before: ReadonlyMap<string, number>) {
    if (!info.db.nodeReport) return { effect: 'unverified' as const, evidence: evidence(`${info.db.name} does not report its message delay`) };
    const t0 = performance.now();
    for (;;) {
      const { results, errors } = await eachNode(nodes, (n) => info.db.nodeReport!(info.cluster, n));
      const ms = Math.round(performance.now() - t0);
      if (errors.length) return { effect: 'unverified' as const, evidence: evidence(`could not read the status: ${errors.join('; ')}`, { ms }) };
      const off = [...results].filter(([, r]) => !r.peerDelay).map(([n]) => n);
      if (off.length) return { effect: 'no-effect' as const, evidence: evidence(`status shows no delay on ${off.join(' ')}`, { ms }) };
      const held = Object.fromEntries([...results].map(([n, r]) => [n, (r.delayedBatches ?? 0) - (before.get(n) ?? 0)]));
      const quiet = nodes.filter((n) => !(held[n] > 0));
      if (quiet.length === 0) return { effect: 'took-effect' as const, evidence: evidence(nodes.map((n) => `${n} held back ${held[n]} batches`).join(', ') + ` within ${ms} ms`, { heldBack: held, ms }) };
      if (ms > DELAY_EVIDENCE_BUDGET_MS) {
        return { effect: 'unverified' as const, evidence: evidence(`delay set, but ${quiet.join(' ')} held nothing back within ${ms} ms`, { heldBack: held, ms }) };
      }
      await sleep(100);
    }
  }

  /** Every node's sends back to normal (a node that is down has no delay to clear: it starts without one). */
  async heal(info: DockerClusterInfo): Promise<void> {
    this.forget();
    if (info.db.delayPeerMessages) await Promise.all(info.nodes.map((n) => info.db.delayPeerMessages!(info.cluster, n, null).catch(() => undefined)));
  }

  forget(): void {
    this.delayed.clear();
  }
}

/** Batches each node has held back so far (absent where the DB cannot say). */
async function heldBack(info: DockerClusterInfo, nodes: readonly string[]): Promise<Map<string, number>> {
  if (!info.db.nodeReport) return new Map();
  const { results } = await eachNode(nodes, (n) => info.db.nodeReport!(info.cluster, n));
  return new Map([...results].filter(([, r]) => typeof r.delayedBatches === 'number').map(([n, r]) => [n, r.delayedBatches!]));
}
