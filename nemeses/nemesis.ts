// The nemesis the run loop drives on a Docker cluster: routes start-<kind> /
// stop-<kind> to one Fault per kind, checks before the run that every
// requested fault can work on this cluster, and heals everything at the end.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { DB } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import type { Op } from '../history/index.ts';
import type { Completion } from '../history/index.ts';
import type { Nemesis } from './protocol.ts';
import { assertClockSupported, ClockFault } from './clock.ts';
import { FAULT_KINDS, sh, type Fault, type FaultKind, type FaultSpec } from './fault.ts';
import { MIN_NODES, type PartitionShape } from './grudge.ts';
import { FAULT_CHAINS, healScript } from './iptables.ts';
import { healChains, LossFault, PartitionFault } from './network.ts';
import { KillFault, PauseFault, resumeScript } from './process.ts';
import { assertDelaySupported, DelayFault } from './delay.ts';
import { assertFigure8Supported, Figure8Fault, FIGURE8_NODES } from './figure8.ts';
import type { FaultChoice } from './schedule.ts';

/** Checks that need only the DB definition: run them before any container starts. */
export function checkNemesesForDb(choices: readonly FaultChoice[], db: NemesisDbTraits): void {
  if (choices.some((c) => c.kind === 'clock')) assertClockSupported(db);
  if (choices.some((c) => c.kind === 'delay')) assertDelaySupported(db);
  if (choices.some((c) => c.kind === 'figure8')) assertFigure8Supported(db);
}

/** What the nemeses need to know about a DB before its cluster exists. */
export type NemesisDbTraits = Pick<DB, 'name' | 'supportsClockFaults' | 'delayPeerMessages' | 'armFailpoint'>;

export class FaultNemesis implements Nemesis<DockerClusterInfo> {
  readonly name: string;
  private readonly faults = {
    partition: new PartitionFault(),
    loss: new LossFault(),
    kill: new KillFault(),
    pause: new PauseFault(),
    clock: new ClockFault(),
    delay: new DelayFault(),
    figure8: new Figure8Fault(),
  } satisfies Record<FaultKind, Fault>;

  constructor(private readonly choices: readonly FaultChoice[]) {
    this.name = [...new Set(choices.map((c) => `${c.kind}-${c.variant}`))].join(',');
  }

  async setup(info: DockerClusterInfo): Promise<void> {
    checkNemesesForDb(this.choices, info.db);
    // Refuse only when no partition shape fits: with `partition` on 2 nodes, ring and bridge just fail when drawn.
    const shapes = this.choices.filter((c) => c.kind === 'partition').map((c) => c.variant as PartitionShape);
    if (shapes.length > 0 && shapes.every((s) => info.nodes.length < MIN_NODES[s])) {
      const need = Math.min(...shapes.map((s) => MIN_NODES[s]));
      throw new UserError(`partition-${shapes.join('/')} needs at least ${need} nodes, the cluster has ${info.nodes.length}`);
    }
    if (this.choices.some((c) => c.kind === 'figure8') && info.nodes.length !== FIGURE8_NODES) {
      throw new UserError(`figure8 plays the Raft paper's 5-server scenario: it needs --nodes ${FIGURE8_NODES}, the cluster has ${info.nodes.length}`);
    }
    if (this.choices.some((c) => c.kind === 'partition' || c.kind === 'loss' || c.kind === 'figure8')) {
      // Fail now, not at the first fault, if a node image cannot run iptables; and start clean.
      await Promise.all(info.nodes.map((n) => sh(info, n, 'iptables -S >/dev/null')))
        .catch((e: Error) => Promise.reject(new UserError(`partitions need iptables in the node image: ${e.message}`)));
      await healChains(info, [...FAULT_CHAINS]);
    }
  }

  async invoke(op: Op, info: DockerClusterInfo): Promise<Completion> {
    const m = /^(start|stop)-(.+)$/.exec(op.f);
    const fault: Fault | undefined = m && (FAULT_KINDS as readonly string[]).includes(m[2]) ? this.faults[m[2] as FaultKind] : undefined;
    if (!m || !fault) return { type: 'fail', error: `unknown nemesis op ${op.f}` };
    return m[1] === 'start' ? fault.start(op.value as FaultSpec, info) : fault.stop(info);
  }

  /**
   * Heal every kind on every node, whatever this nemesis remembers (a lost
   * completion, another nemesis's faults): one exec per node removes our
   * iptables chains and resumes the DB, then the DB is restarted (data kept)
   * where it is gone; clocks are reset from the host; message delays are
   * cleared and failpoints disarmed through the DB. Every node is tried
   * even if one fails.
   */
  async healAll(info: DockerClusterInfo): Promise<void> {
    const script = `${healScript(FAULT_CHAINS)}\n${resumeScript(info.db.name)}`;
    const results = await Promise.allSettled([
      ...info.nodes.map(async (n) => {
        const out = await sh(info, n, script);
        if (!out.includes('running')) await info.db.start(info.docker, n, { fresh: false });
      }),
      this.faults.clock.heal(info),
      this.faults.delay.heal(info),
      this.faults.figure8.disarmAll(info),
    ]);
    for (const f of Object.values(this.faults)) f.forget();
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new Error(`heal failed: ${failed.map((r) => (r.reason as Error).message).join('; ')}`);
  }
}
