// What the Raft-aware faults (raft-*.ts) share, in the manner of figure8.ts:
// each is a short script of partitions and kills whose every step waits,
// within a step budget, for the cluster state it needs (db.status), so the
// fault lands in the narrow window where Raft bugs bite instead of at a
// random moment. A step that does not happen in time ends the script early
// and the completion says so: took-effect only when the state the script
// aimed for was observed.
//
// The base remembers what it did (the partition, the processes it killed or
// paused, the clocks it slowed), so stop heals exactly that: flush the
// partition, reset the clocks, resume and restart the DB where it is stopped
// or down, then look: every pair of nodes connects, every node answers.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import { clockControl, setNodeClock, skewOffsetMs } from '../clusters/index.ts';
import { elapsed } from './clock.ts';
import type { Completion, FaultEffect, JsonValue } from '../history/index.ts';
import { evidence, sleep, withEffect } from './effect.ts';
import { sh, sortNodes, type Fault, type FaultSpec, type RaftKind } from './fault.ts';
import type { Grudge } from './grudge.ts';
import { applyGrudge, healChains, NetworkState, probeNetwork } from './network.ts';
import { judgeReachability } from './network-evidence.ts';
import { contScript, killDb, pauseScript, waitAnswering } from './process.ts';
import { assertRaftSupported, RAFT_MIN_NODES } from './raft-kinds.ts';
import { currentLeader } from './raft-state.ts';
import { armTogether, type Armed, type Together } from './wake-together.ts';

const CHAIN = 'faultline-partition';
/** Between two status polls: short, the windows these scripts aim at last a few election timeouts at most. */
const POLL_MS = 10;
/** How long one step may wait for the state it needs (a few election timeouts of etcd's 1 s default). */
export const STEP_BUDGET_MS = 5_000;

/** What a script saw: its completion's effect, one line of evidence, what it measured. */
export interface ScenarioOutcome {
  effect: FaultEffect;
  nodes: string[];
  description: string;
  summary: string;
  measured?: Record<string, JsonValue>;
  /** Elections the script may cause, for the elections checker (default 1). */
  steps?: number;
}

export abstract class RaftScenario implements Fault {
  abstract readonly kind: RaftKind;
  private readonly killed = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly slowed = new Set<string>();
  private readonly delayed = new Set<string>();
  private cut = false;

  /** Shared with partition and loss (nemesis.ts), so each judges its probe against the others' drops. */
  constructor(private readonly network: NetworkState = new NetworkState()) {}

  /** The script: an outcome, or a string saying why it could not begin (nothing applied). */
  protected abstract play(spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string>;

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    assertRaftSupported(this.kind, info.db);
    const need = RAFT_MIN_NODES[this.kind];
    if (info.nodes.length < need) return { type: 'fail', error: `${this.kind} needs at least ${need} nodes, the cluster has ${info.nodes.length}` };
    const out = await this.play(spec, info);
    if (typeof out === 'string') return { type: 'fail', error: out };
    return withEffect(
      { fault: this.kind, nodes: sortNodes(out.nodes), description: out.description, variant: spec.variant, steps: out.steps ?? 1 },
      out.effect,
      evidence(out.summary, out.measured ?? {}),
    );
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const restarted = sortNodes(this.killed);
    const resumed = sortNodes(this.paused);
    const clocksReset = sortNodes(this.slowed);
    const undelayed = sortNodes(this.delayed);
    const flushed = this.cut;
    const t0 = performance.now();
    await this.heal(info);
    const [probe, { ready: answering }] = await Promise.all([probeNetwork(info), waitAnswering(info, info.nodes, t0)]);
    const network = judgeReachability({}, info.nodes, probe, this.network.loss);
    const down = info.nodes.filter((n) => !answering.has(n));
    const effect: FaultEffect = down.length || network.effect === 'no-effect' ? 'no-effect' : network.effect;
    const did = [
      flushed ? 'partition flushed' : '',
      clocksReset.length ? `clock reset on ${clocksReset.join(' ')}` : '',
      undelayed.length ? `message delay cleared on ${undelayed.join(' ')}` : '',
      resumed.length ? `resumed ${resumed.join(' ')}` : '',
      restarted.length ? `restarted ${restarted.join(' ')}` : '',
    ]
      .filter(Boolean)
      .join(', ') || 'nothing to undo';
    const summary = `${network.evidence.summary}; ${down.length ? `not answering: ${down.join(' ')}` : `all ${info.nodes.length} nodes answer`}`;
    return withEffect(
      { fault: this.kind, nodes: sortNodes(new Set([...restarted, ...resumed, ...clocksReset])), description: `${this.kind} healed: ${did}` },
      effect,
      evidence(summary, { network: network.evidence, restarted, down, answeringMs: Object.fromEntries(answering) }),
    );
  }

  /** Undo what the script did: the partition, the processes it killed (only where the DB is down: a second instance would die on its ports). */
  async heal(info: DockerClusterInfo): Promise<void> {
    if (this.cut) await this.unpartition(info);
    await Promise.all([...this.paused].map((n) => this.resume(info, n)));
    await Promise.all([...this.slowed].map((n) => setNodeClock(info.cluster, n, clockControl(0))));
    this.slowed.clear();
    await this.undelayAll(info);
    await Promise.all(
      [...this.killed].map(async (n) => {
        if (!(await info.cluster.isRunning(n, info.db.name))) await info.db.start(info.cluster, n, { fresh: false });
        this.killed.delete(n);
      }),
    );
  }

  forget(): void {
    this.killed.clear();
    this.paused.clear();
    this.slowed.clear();
    this.delayed.clear();
    this.cut = false;
    this.network.partition = {};
  }

  protected statuses(info: DockerClusterInfo): Promise<MemberStatus[]> {
    return info.db.status(info.cluster).catch(() => []);
  }

  /** Poll db.status until `pick` finds what the step waits for, or the budget is spent; `last` is the last poll either way. */
  protected async waitFor<T>(info: DockerClusterInfo, pick: (all: MemberStatus[]) => T | undefined, budgetMs = STEP_BUDGET_MS): Promise<{ found?: T; last: MemberStatus[]; ms: number; polls: number }> {
    const t0 = performance.now();
    let last: MemberStatus[] = [];
    for (let polls = 1; ; polls++) {
      last = await this.statuses(info);
      const found = pick(last);
      const ms = Math.round(performance.now() - t0);
      if (found !== undefined) return { found, last, ms, polls };
      if (ms >= budgetMs) return { last, ms, polls };
      await sleep(POLL_MS);
    }
  }

  /** The statuses once some member leads (the script starts from it), within the step budget; undefined when none did. */
  protected async withLeader(info: DockerClusterInfo): Promise<{ leader: MemberStatus; all: MemberStatus[] } | undefined> {
    const { found, last } = await this.waitFor(info, currentLeader);
    return found && { leader: found, all: last };
  }

  /** Replace the partition with `grudge` (every node at once). */
  protected async partition(info: DockerClusterInfo, grudge: Grudge): Promise<void> {
    // Remembered before applying: a heal must follow even if applying fails halfway.
    this.cut = true;
    this.network.partition = grudge;
    await applyGrudge(info, CHAIN, grudge);
  }

  /** Remove the partition (the script goes on without it; stop has nothing left to flush). */
  protected async unpartition(info: DockerClusterInfo): Promise<void> {
    await healChains(info, [CHAIN]);
    this.cut = false;
    this.network.partition = {};
  }

  /** kill -9 the DB on `node` and wait until the process is gone; restarted by stop unless restarted before. */
  protected async kill(info: DockerClusterInfo, node: string): Promise<void> {
    this.killed.add(node);
    await killDb(info, node);
  }

  /** SIGSTOP the DB on `node` (its timers stand still: a long GC pause); resumed by stop unless resumed before. */
  protected async pause(info: DockerClusterInfo, node: string): Promise<void> {
    this.paused.add(node);
    await sh(info, node, pauseScript(info.db.name));
  }

  protected async resume(info: DockerClusterInfo, node: string): Promise<void> {
    await sh(info, node, contScript(info.db.name));
    this.paused.delete(node);
  }

  /** Ready to SIGSTOP the DB on every one of `nodes` in the same instant (wake-together.ts) when fired. */
  protected async armPause(info: DockerClusterInfo, nodes: readonly string[]): Promise<Armed> {
    const armed = await armTogether(info, nodes, pauseScript(info.db.name));
    return {
      fire: () => {
        for (const n of nodes) this.paused.add(n);
        return armed.fire();
      },
    };
  }

  /** SIGCONT the DB on every one of `nodes` in the same instant (wake-together.ts), not one exec after another. */
  protected async resumeTogether(info: DockerClusterInfo, nodes: readonly string[]): Promise<Together> {
    const woken = await (await armTogether(info, nodes, contScript(info.db.name))).fire();
    for (const n of nodes) this.paused.delete(n);
    return woken;
  }

  /** How to make `node`'s clock run at `rate` from now on without a jump (one exec now); call the result to apply it (on Docker a host-side write, at once). */
  protected async slowClock(info: DockerClusterInfo, node: string, rate: number): Promise<() => Promise<void>> {
    const offsetMs = skewOffsetMs(await elapsed(info, node), rate);
    return () => {
      this.slowed.add(node);
      return setNodeClock(info.cluster, node, clockControl(offsetMs, rate));
    };
  }

  /** Hold back a share of `node`'s peer messages for up to maxMs each (the DB's own transport); false where the DB cannot. */
  protected async delaySends(info: DockerClusterInfo, node: string, delay: { probability: number; maxMs: number }): Promise<boolean> {
    if (!info.db.delayPeerMessages) return false;
    this.delayed.add(node);
    await info.db.delayPeerMessages(info.cluster, node, delay);
    return true;
  }

  /** Clear every delay the script set (what is already held still arrives late). */
  protected async undelayAll(info: DockerClusterInfo): Promise<void> {
    // A node killed since starts without a delay; one that does not answer now is caught by stop's look.
    await Promise.all([...this.delayed].map((n) => info.db.delayPeerMessages?.(info.cluster, n, null).catch(() => undefined)));
    this.delayed.clear();
  }

  /** Start the DB again on `node` (data kept) and wait until it answers; false when it did not within the budget. */
  protected async restart(info: DockerClusterInfo, node: string): Promise<boolean> {
    await info.db.start(info.cluster, node, { fresh: false });
    this.killed.delete(node);
    return (await waitAnswering(info, [node], performance.now())).ready.has(node);
  }
}
