// The member nemesis (etcd: DB.membership): membership changes under load.
//   readd:  remove a member, wipe its data and add it back as a new member
//           (a new member id), all in start; wait until it caught up.
//   replace: the same, on a new machine: between the remove and the add the
//           node's container is swapped for a new one at the same address
//           (NodeCluster.replaceNode), as etcd's own robustness suite
//           replaces a member (same name and peer URL, new member id).
//   shrink: remove one or two members (down to three), each only when the
//           members left keep a live quorum; stop adds them back, one at a
//           time, each caught up before the next.
// Every completion carries the member list before and after, read from the
// DB itself, so the change is proven, not assumed.
import type { ClusterMember, DockerClusterInfo } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import { UserError, type Completion, type FaultEffect, type JsonValue } from '../history/index.ts';
import { evidence, sleep, withEffect } from './effect.ts';
import { sortNodes, type Fault, type FaultSpec } from './fault.ts';
import { removalRefusal, shrinkBy } from './member-quorum.ts';
import type { NemesisDbTraits } from './fault.ts';

export const MEMBER_VARIANTS = ['readd', 'replace', 'shrink'] as const;

/** How long a member added back may take to catch up with the leader. */
const CATCH_UP_MS = 20_000;
const POLL_MS = 200;

export function assertMemberSupported(db: Pick<NemesisDbTraits, 'name' | 'membership'>): void {
  if (db.membership) return;
  const why = db.name === 'raftkv' ? ': its cluster is fixed at start (no joint consensus, no one-at-a-time change)' : '';
  throw new UserError(`member unsupported for ${db.name}: it has no membership change${why}`, 'Use --db etcd for the member nemesis.');
}

/** Member list as JSON for the evidence: node -> member id (hex), unstarted members marked. */
const listed = (ms: readonly ClusterMember[]): Record<string, JsonValue> =>
  Object.fromEntries(sortNodes(ms.map((m) => m.node)).map((n) => {
    const m = ms.find((x) => x.node === n)!;
    return [n, m.started ? BigInt(m.id).toString(16) : `${BigInt(m.id).toString(16)} (not started)`];
  }));

export class MemberFault implements Fault {
  readonly kind = 'member';
  /** Nodes shrink took out, to add back at stop (or healAll). */
  private removed: string[] = [];
  /** Nodes a change left half done (its remove or add failed): stop or the final heal restores them. */
  private readonly unfinished = new Set<string>();
  /** Membership changes run one at a time: a final heal may come while a stop is still adding members back. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    return this.serial(() => this.change(spec, info));
  }

  stop(info: DockerClusterInfo): Promise<Completion> {
    return this.serial(() => this.growBack(info));
  }

  heal(info: DockerClusterInfo): Promise<void> {
    return this.serial(() => this.addNonMembers(info));
  }

  /** Nodes a change took out of the cluster (or left half done): the final heal adds them back wiped, never restarts them on their data. */
  outOfCluster(): string[] {
    return sortNodes(new Set([...this.removed, ...this.unfinished]));
  }

  private async change(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const m = membershipOf(info);
    const before = await m.list(info.cluster);
    const r = new Random(spec.seed);
    const victims: string[] = [];
    const refused: string[] = [];
    const caughtUp: Record<string, JsonValue> = {};
    /** replace: node -> "old container -> new container". */
    const machines: Record<string, string> = {};
    const failed: string[] = [];
    let members = before.map((x) => x.node);
    const rounds = spec.variant === 'shrink' ? shrinkBy(members.length) : 1;
    // A readd or replace dips one below the floor only until the member is back: two live others suffice for it.
    const floor = spec.variant === 'shrink' ? undefined : 2;
    for (let i = 0; i < rounds; i++) {
      const live = await liveNodes(info);
      const candidates = members.filter((n) => removalRefusal(members, live, n, floor) === undefined);
      if (candidates.length === 0) {
        refused.push(members.map((n) => removalRefusal(members, live, n, floor)).join('; ') || 'no members');
        break;
      }
      const victim = r.pick(candidates);
      victims.push(victim);
      try {
        await m.remove(info.cluster, victim);
        members = members.filter((n) => n !== victim);
        if (spec.variant === 'shrink') this.removed.push(victim);
        else {
          if (spec.variant === 'replace') machines[victim] = await newMachine(info, victim);
          caughtUp[victim] = await this.addBack(info, victim);
        }
      } catch (err) {
        // Half done (killed and wiped, maybe removed, maybe added but not started): stop or the final heal finishes it.
        this.unfinished.add(victim);
        failed.push(`${victim}: ${(err as Error).message}`);
        break;
      }
    }
    const after = await m.list(info.cluster);
    const afterIds = new Map(after.map((x) => [x.node, x.id]));
    const beforeIds = new Map(before.map((x) => [x.node, x.id]));
    // Took effect when the cluster itself lists the change: shrunk nodes gone, re-added ones back under a new id
    // (a replace that could not swap the machine threw, so it is in `failed`).
    const changed = victims.length > 0 && victims.every((v) => (spec.variant === 'shrink' ? !afterIds.has(v) : afterIds.has(v) && afterIds.get(v) !== beforeIds.get(v)));
    const lagging = Object.entries(caughtUp).filter(([, ms]) => ms === null).map(([n]) => n);
    const effect: FaultEffect = changed && !failed.length ? (lagging.length ? 'unverified' : 'took-effect') : 'no-effect';
    const what =
      spec.variant === 'shrink'
        ? `removed ${victims.join(' ') || 'nothing'} (${before.length} -> ${after.length} members)`
        : spec.variant === 'replace'
          ? `replaced ${victims.join(' ') || 'nothing'} by a new machine (container ${Object.values(machines).join(', ') || 'not swapped'}), added as a new member`
          : `re-added ${victims.join(' ') || 'nothing'} wiped, as a new member`;
    return withEffect(
      { fault: 'member', variant: spec.variant, nodes: victims, description: what },
      effect,
      evidence([`members before: ${Object.keys(listed(before)).join(' ')}`, `after: ${Object.keys(listed(after)).join(' ')}`, ...refused.map((x) => `refused: ${x}`), ...failed.map((x) => `failed: ${x}`), ...lagging.map((n) => `${n} not caught up after ${CATCH_UP_MS} ms`)].join('; '), {
        before: listed(before),
        after: listed(after),
        ...(Object.keys(caughtUp).length ? { caughtUpMs: caughtUp } : {}),
        ...(Object.keys(machines).length ? { machines } : {}),
        ...(refused.length ? { refused } : {}),
        ...(failed.length ? { failed } : {}),
      }),
    );
  }

  private async growBack(info: DockerClusterInfo): Promise<Completion> {
    const m = membershipOf(info);
    const before = await m.list(info.cluster);
    const back = sortNodes([...new Set([...this.removed, ...this.unfinished])]);
    const caughtUp: Record<string, JsonValue> = {};
    const failed: string[] = [];
    for (const n of back) {
      try {
        caughtUp[n] = await this.restore(info, n);
      } catch (err) {
        failed.push(`${n}: ${(err as Error).message}`);
      }
    }
    const after = await m.list(info.cluster);
    const missing = back.filter((n) => !after.some((x) => x.node === n && x.started));
    const lagging = back.filter((n) => caughtUp[n] === null);
    const effect: FaultEffect = missing.length || failed.length ? 'no-effect' : back.length && !lagging.length ? 'took-effect' : 'unverified';
    return withEffect(
      { fault: 'member', nodes: back, description: back.length ? `added back ${back.join(' ')} wiped (${before.length} -> ${after.length} members)` : 'membership unchanged' },
      effect,
      evidence([`members before: ${Object.keys(listed(before)).join(' ')}`, `after: ${Object.keys(listed(after)).join(' ')}`, ...missing.map((n) => `${n} not a started member`), ...failed.map((x) => `failed: ${x}`)].join('; '), {
        before: listed(before),
        after: listed(after),
        caughtUpMs: caughtUp,
        ...(failed.length ? { failed } : {}),
      }),
    );
  }

  /**
   * healAll, before any process is restarted: every node of the cluster that
   * is not a member is added back (wiped), whether this fault remembers it or
   * not, so no removed member is restarted on its old data.
   */
  private async addNonMembers(info: DockerClusterInfo): Promise<void> {
    if (!info.db.membership) return;
    const started = new Set((await info.db.membership.list(info.cluster)).filter((m) => m.started).map((m) => m.node));
    for (const n of info.nodes) if (!started.has(n) || this.unfinished.has(n)) await this.restore(info, n);
  }

  forget(): void {
    this.removed = [];
    this.unfinished.clear();
  }

  /**
   * Bring `node` back as a started, caught-up member whatever state a change
   * left it in: not a member, or added but never started (add starts it), or
   * an unfinished change's member still listed with its data wiped (removed
   * first, since restarting it on an empty data dir would rejoin with no log).
   */
  private async restore(info: DockerClusterInfo, node: string): Promise<number | null> {
    const m = membershipOf(info);
    const listed = (await m.list(info.cluster)).find((x) => x.node === node);
    if (listed?.started && this.unfinished.has(node)) await m.remove(info.cluster, node);
    const ms = listed?.started && !this.unfinished.has(node) ? 0 : await this.addBack(info, node);
    this.removed = this.removed.filter((n) => n !== node);
    this.unfinished.delete(node);
    return ms;
  }

  /** Add `node` back and wait until it is as far as the leader was when it joined: ms taken, or null when it did not catch up in time. */
  private async addBack(info: DockerClusterInfo, node: string): Promise<number | null> {
    await membershipOf(info).add(info.cluster, node);
    const t0 = performance.now();
    let target: number | undefined;
    while (performance.now() - t0 < CATCH_UP_MS) {
      const statuses = await info.db.status(info.cluster);
      target ??= Math.max(0, ...statuses.filter((s) => s.up && s.node !== node).map((s) => s.index ?? 0)) || undefined;
      const own = statuses.find((s) => s.node === node);
      if (target !== undefined && own?.up && (own.index ?? 0) >= target) return Math.round(performance.now() - t0);
      await sleep(POLL_MS);
    }
    return null;
  }
}

/** Swap `node`'s machine for a new one (its member already removed and wiped): "old -> new" machine ids. */
async function newMachine(info: DockerClusterInfo, node: string): Promise<string> {
  if (!info.cluster.replaceNode) throw new Error(`${info.cluster.backend} cannot swap ${node} for a new machine`);
  const swap = await info.cluster.replaceNode(node);
  if (swap.old === swap.new) throw new Error(`${node} is still on machine ${swap.old}`);
  return `${swap.old} -> ${swap.new}`;
}

function membershipOf(info: DockerClusterInfo) {
  if (!info.db.membership) throw new Error(`${info.db.name} has no membership change`);
  return info.db.membership;
}

async function liveNodes(info: DockerClusterInfo): Promise<Set<string>> {
  return new Set((await info.db.status(info.cluster)).filter((s) => s.up).map((s) => s.node));
}
