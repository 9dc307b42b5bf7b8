// The nemesis the run loop drives on a Docker cluster: routes start-<kind> /
// stop-<kind> to one Fault per kind, checks before the run that every
// requested fault can work on this cluster, and heals everything at the end.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { errorText, UserError } from '../history/index.ts';
import type { Op } from '../history/index.ts';
import type { Completion, FaultEffect, FaultValue } from '../history/index.ts';
import type { Nemesis } from './protocol.ts';
import { assertClockSupported, ClockFault } from './clock.ts';
import { FAULT_KINDS, sh, sortNodes, type Fault, type FaultKind, type FaultSpec } from './fault.ts';
import { FAULT_CHAINS, healScript } from './iptables.ts';
import { LossFault, NetworkState, PartitionFault, probeNetwork } from './network.ts';
import { judgeReachability } from './network-evidence.ts';
import { judgeClocks } from './clock-evidence.ts';
import { eachNode, evidence, failedCompletion } from './effect.ts';
import { KillFault, PauseFault, resumeScript } from './process.ts';
import { assertDelaySupported, DelayFault } from './delay.ts';
import { assertFigure8Supported, Figure8Fault } from './figure8.ts';
import { FailpointFault } from './failpoint.ts';
import { assertMemberSupported, MemberFault } from './member.ts';
import { CompactFault } from './compact.ts';
import { DefragFault } from './defrag.ts';
import { assertLoseUnsyncedSupported, LoseUnsyncedFault } from './lose-unsynced.ts';
import { assertCorruptSupported, CorruptFault } from './corrupt.ts';
import { assertMaintenanceSupported } from './maintenance.ts';
import { failpointsFor } from './failpoint-options.ts';
import { assertRaftSupported, isRaftKind } from './raft-kinds.ts';
import { LaggingLeaderFault } from './raft-lagging-leader.ts';
import { ElectionStormFault } from './raft-election-storm.ts';
import { DeposedLeaderFault } from './raft-deposed-leader.ts';
import { UncommittedCutFault } from './raft-uncommitted-cut.ts';
import { CrashAfterVoteFault } from './raft-crash-after-vote.ts';
import { TwoLeadersFault } from './raft-two-leaders.ts';
import { StaleRestartFault } from './raft-stale-restart.ts';
import { checkNemesesForNodes } from './node-count.ts';
import { assertLeaderKnown } from './leader-targets.ts';
import type { FaultChoice, NemesisDbTraits } from './fault.ts';

/** Checks that need only the DB definition: run them before any container starts. */
export function checkNemesesForDb(choices: readonly FaultChoice[], db: NemesisDbTraits): void {
  if (choices.some((c) => c.kind === 'clock')) assertClockSupported(db);
  if (choices.some((c) => c.kind === 'delay')) assertDelaySupported(db);
  if (choices.some((c) => c.kind === 'figure8')) assertFigure8Supported(db);
  if (choices.some((c) => c.kind === 'member')) assertMemberSupported(db);
  if (choices.some((c) => c.kind === 'lose-unsynced')) assertLoseUnsyncedSupported(db);
  if (choices.some((c) => c.kind === 'corrupt')) assertCorruptSupported(db);
  for (const kind of ['compact', 'defrag'] as const) if (choices.some((c) => c.kind === kind)) assertMaintenanceSupported(kind, db);
  // The choices kept are the ones a DB's failpoints can take: a check here, the filtering is plan.ts's.
  if (choices.some((c) => c.kind === 'failpoint')) failpointsFor([], choices, undefined, db);
  for (const kind of new Set(choices.map((c) => c.kind))) if (isRaftKind(kind)) assertRaftSupported(kind, db);
  assertLeaderKnown(choices, db);
}


export class FaultNemesis implements Nemesis<DockerClusterInfo> {
  readonly name: string;
  // Shared by partition and loss: each judges its probe against the other still in force.
  private readonly network = new NetworkState();
  private readonly faults = {
    partition: new PartitionFault(this.network),
    loss: new LossFault(this.network),
    kill: new KillFault(),
    pause: new PauseFault(),
    clock: new ClockFault(),
    delay: new DelayFault(),
    figure8: new Figure8Fault(),
    'lagging-leader': new LaggingLeaderFault(this.network),
    'uncommitted-cut': new UncommittedCutFault(this.network),
    'crash-after-vote': new CrashAfterVoteFault(this.network),
    'two-leaders': new TwoLeadersFault(this.network),
    'stale-restart': new StaleRestartFault(this.network),
    'election-storm': new ElectionStormFault(this.network),
    'deposed-leader': new DeposedLeaderFault(this.network),
    failpoint: new FailpointFault(),
    member: new MemberFault(),
    compact: new CompactFault(),
    defrag: new DefragFault(),
    'lose-unsynced': new LoseUnsyncedFault(),
    corrupt: new CorruptFault(),
  } satisfies Record<FaultKind, Fault>;

  constructor(private readonly choices: readonly FaultChoice[]) {
    this.name = [...new Set(choices.map((c) => `${c.kind}-${c.variant}`))].join(',');
  }

  async setup(info: DockerClusterInfo): Promise<void> {
    checkNemesesForDb(this.choices, info.db);
    checkNemesesForNodes(this.choices, info.nodes.length);
    if (this.choices.some((c) => c.kind === 'partition' || c.kind === 'loss' || c.kind === 'figure8' || isRaftKind(c.kind))) {
      // Fail now, not at the first fault, if a node image cannot run iptables or the reachability probe (bash); and start clean.
      // One exec per node for both (an exec costs ~0.1 s a node under load, and explore sets up a nemesis per run).
      const check = 'iptables -S >/dev/null || exit 1; [ -x /bin/bash ] || { echo "no /bin/bash for the reachability probe" >&2; exit 1; }';
      await Promise.all(info.nodes.map((n) => sh(info, n, `${check}\n${healScript(FAULT_CHAINS)}`)))
        .catch((e: Error) => Promise.reject(new UserError(`partitions need iptables and bash in the node image: ${e.message}`)));
    }
  }

  async invoke(op: Op, info: DockerClusterInfo): Promise<Completion> {
    const m = /^(start|stop)-(.+)$/.exec(op.f);
    const fault: Fault | undefined = m && (FAULT_KINDS as readonly string[]).includes(m[2]) ? this.faults[m[2] as FaultKind] : undefined;
    if (!m || !fault) return { type: 'fail', error: `unknown nemesis op ${op.f}` };
    try {
      return await (m[1] === 'start' ? fault.start(op.value as FaultSpec, info) : fault.stop(info));
    } catch (err) {
      // A command that failed shows nothing took effect: say so in the history, not just "script exited 2".
      return failedCompletion(fault.kind, err);
    }
  }

  /**
   * Heal every kind on every node, whatever this nemesis remembers (a lost
   * completion, another nemesis's faults): one exec per node removes our
   * iptables chains and resumes the DB, then the DB is restarted (data kept)
   * where it is gone; clocks are reset from the host; message delays are
   * cleared and failpoints disarmed through the DB (figure 8's and the
   * failpoint nemesis's); nodes that are no longer members are added back
   * (wiped) once the others run, never restarted on their old data. Every
   * node is tried even if one fails. Then it looks: every pair of nodes
   * connects, no DB process is stopped, the clocks read true. Resolves to the stop-all value;
   * effect no-effect names the nodes it could not heal.
   */
  async healAll(info: DockerClusterInfo): Promise<FaultValue> {
    // Before the restarts below: a node still down on a corrupted file gets it back first.
    const corruptError = await this.faults.corrupt.heal(info).then(() => undefined, (e: unknown) => `corrupt: ${errorText(e)}`);
    // A node a membership change took out comes back as a new member (wiped, below), never restarted on its old data.
    const outOfCluster = new Set(this.faults.member.outOfCluster());
    const script = `${healScript(FAULT_CHAINS)}\n${resumeScript(info.db.name)}`;
    const processes = new Map<string, string>();
    const { errors } = await eachNode(info.nodes, async (n) => {
      const out = (await sh(info, n, script)).trim();
      if (out.startsWith('running')) processes.set(n, `running, State ${out.split(' ').slice(2).join(' ')}`);
      else if (!outOfCluster.has(n)) {
        await info.db.start(info.cluster, n, { fresh: false });
        processes.set(n, (await info.cluster.isRunning(n, info.db.name)) ? 'restarted' : 'restart failed: not running');
      }
    });
    // Membership after the members are resumed and restarted: reading the member list needs a live member
    // (a run can end inside kill-all or pause-all), and adding a member back needs a quorum.
    const membershipError = await this.faults.member.heal(info).then(() => undefined, (e: unknown) => `membership: ${errorText(e)}`);
    for (const n of outOfCluster) {
      if (!processes.has(n)) processes.set(n, (await info.cluster.isRunning(n, info.db.name)) ? 'added back as a new member' : 'restart failed: not running');
    }
    const others = await Promise.allSettled([this.faults.clock.heal(info), this.faults.delay.heal(info), this.faults.figure8.disarmAll(info), this.faults.failpoint.heal(info)]);
    for (const f of Object.values(this.faults)) f.forget();
    for (const r of others) if (r.status === 'rejected') errors.push(errorText(r.reason));
    if (membershipError) errors.push(membershipError);
    if (corruptError) errors.push(corruptError);

    const network = judgeReachability({}, info.nodes, await probeNetwork(info));
    const stuck = [...processes].filter(([, p]) => p.includes('State T') || p.startsWith('restart failed')).map(([n]) => n);
    const running = sortNodes([...processes].filter(([, p]) => p.startsWith('running')).map(([n]) => n));
    const clocks = info.db.supportsClockFaults ? await judgeClocks(info, running, { mode: 'reset' }) : undefined;
    const failedNodes = sortNodes(new Set([...errors.map((e) => e.split(':')[0]).filter((n) => info.nodes.includes(n)), ...stuck, ...pairNodes(network.evidence.mismatches)]));
    const effect: FaultEffect = errors.length || stuck.length || network.effect === 'no-effect' || clocks?.effect === 'no-effect' ? 'no-effect' : network.effect === 'took-effect' && clocks?.effect !== 'unverified' ? 'took-effect' : 'unverified';
    const summary = [
      errors.length ? `heal failed: ${errors.join('; ')}` : '',
      stuck.length ? `DB process not running normally on ${stuck.join(' ')}` : '',
      `network: ${network.evidence.summary}`,
      clocks ? `clocks: ${clocks.evidence.summary}` : '',
    ].filter(Boolean).join('; ');
    return {
      fault: 'all',
      nodes: info.nodes,
      description: 'every fault healed',
      effect,
      evidence: evidence(summary, { failedNodes, processes: Object.fromEntries(sortNodes(processes.keys()).map((n) => [n, processes.get(n)!])), network: network.evidence, ...(clocks ? { clocks: clocks.evidence } : {}) }),
    };
  }
}

/** Nodes named in reachability mismatches ("n1->n2"). */
function pairNodes(mismatches: unknown): string[] {
  if (!Array.isArray(mismatches)) return [];
  return mismatches.flatMap((m) => String((m as { pair?: string }).pair ?? '').split('->')).filter(Boolean);
}
