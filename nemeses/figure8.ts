// The Raft paper's figure 8, played with real faults on a live 5-node
// cluster: a scripted sequence of partitions, message delays and kills, each
// step waiting for the cluster state the next one needs (asked through
// db.status), so the interleaving that random faults almost never line up
// happens on purpose. Names follow the paper's S1..S5 roles:
//
//   1. old:     the leader A and one follower B are cut off from C, D, E,
//               which get the failpoint crash-before-leader-send (etcd's
//               raftBeforeLeaderSend=panic). A keeps appending client writes
//               that only B gets: entries X.
//   2. orphan:  the first of C, D, E to win an election (call it E) persists
//               its own-term entry at X's index and dies before sending it.
//   3. return:  the partition heals (E stays down); now A's and B's messages
//               are held back instead. A or B leads again in a newer term and
//               sends X to C and D, slowly and out of order.
//   4. the window: the moment C or D learns that the commit index moved past
//               where it stood in step 1, the leader is killed and B cut off.
//               A correct leader moves it only once its own-term entry is on
//               a majority; with --bug old-term-commit it moves as soon as X
//               alone is on one, while C and D still lack the new term.
//   5. overwrite: E restarts and asks C and D for votes. Its last term is
//               newer than theirs unless they hold the step-3 leader's entry,
//               so with the bug it wins and replaces X, which C or D already
//               applied: replicas diverge and acknowledged writes vanish.
//               Without the bug C or D refuse, and nothing is lost.
//
// stop heals everything (partition, delays, restarts). A step that does not
// happen in time (no election, no commit) ends the scenario early; the
// completion says how far it got. It needs 5 nodes, the raftBeforeLeaderSend
// failpoint armed with panic (failpoint-driver.ts: etcd's failpoint build,
// raftkv's crash-before-leader-send) and a way to hold a leader's messages
// back in step 3: raftkv's delay fault, or on etcd the same failpoint armed
// with sleep (every send of the leader waits; etcd packs X into one message,
// so it arrives late but whole). On raftkv run it with --max-append-entries 1
// so X travels one entry per message and the window of step 4 is wide enough.
// Step 2 on a DB whose failpoint can sleep (etcd): etcd's leader sends a
// Ready's messages before it saves them (etcdserver/raft.go, thesis 10.2.1),
// so a crash at raftBeforeLeaderSend would come before E persisted its entry.
// Instead the failpoint holds E's first send (sleep); the moment E is seen
// leading it is cut off from everyone, the hold ends (its messages dropped,
// its entry saved), and E is killed: persisted, never sent, as the scenario
// needs, whatever the order of send and save. raftkv, whose crash point
// cannot sleep, saves before it sends, so the crash alone does it.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { Completion } from '../history/index.ts';
import type { DB, FailpointAction, MemberStatus } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import { failpointsOf } from './failpoint-driver.ts';
import { ok, sortNodes, type Fault, type FaultSpec } from './fault.ts';
import { evidence, withEffect } from './effect.ts';
import { complete, isolate, shuffle } from './grudge.ts';
import { applyGrudge, healChains } from './network.ts';
import { killDb } from './process.ts';

const CHAIN = 'faultline-partition';
const POLL_MS = 20;
/** How long each step may wait for the state it needs (an election under CI load took over 5 s). */
const STEP_BUDGET_MS = 10_000;
const FAILPOINT = 'raftBeforeLeaderSend';
/** Step 3: A's and B's messages are held this long at most, so X reaches C and D slowly, one entry at a time, out of order. */
const RETURN_DELAY = { probability: 1, maxMs: 300 };
/** Step 3 where the DB has no message delay: each of the leader's sends sleeps this long at the failpoint. */
const RETURN_SLEEP = { mode: 'sleep', ms: 300 } as const;
/** Step 2 where the failpoint can sleep: E's first send is held this long, time to see it lead and cut it off. */
const HOLD = { mode: 'sleep', ms: 2500 } as const;
/** After the hold: time for E to save what it held before it is killed. */
const SAVE_MS = 700;
/** Step 1: how long A takes writes that only B gets before the majority's election is watched. */
const OLD_ENTRIES_MS = 700;

export const FIGURE8_NODES = 5;

type Figure8Traits = Pick<DB, 'name' | 'delayPeerMessages' | 'armFailpoint' | 'failpoints'>;

const PANIC = { mode: 'panic' } as const;

/** Whether the DB's failpoint can hold a leader's send (sleep): then step 2 holds, cuts off and kills instead of crashing. */
const canHold = (db: Figure8Traits): boolean => failpointsOf(db)?.points.find((p) => p.name === FAILPOINT)?.modes.includes('sleep') === true;

/** Why the DB cannot play figure 8 (no crash before a leader's send, or no way to slow one), or undefined. */
function figure8Refusal(db: Figure8Traits): string | undefined {
  const point = failpointsOf(db)?.points.find((p) => p.name === FAILPOINT);
  if (!point?.modes.includes('panic')) return `it has no ${FAILPOINT} failpoint to crash a new leader before its first send`;
  if (!db.delayPeerMessages && !point.modes.includes('sleep')) return `it can hold back no leader's messages (no delay fault, no sleep at ${FAILPOINT})`;
  return undefined;
}

/** figure8 needs a crash before a leader's first send and a way to slow a leader's sends (raftkv: crash point and delay; etcd's failpoint build: panic and sleep at raftBeforeLeaderSend). */
export function assertFigure8Supported(db: Figure8Traits): void {
  const why = figure8Refusal(db);
  if (why) throw new UserError(`figure8 unsupported for ${db.name}: ${why}`, db.name === 'etcd' ? 'Build etcd with its failpoints: faultline setup --etcd-failpoints.' : undefined);
}

export class Figure8Fault implements Fault {
  readonly kind = 'figure8';
  private killed = new Set<string>();
  private delayed = new Set<string>();
  private armed = new Set<string>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    assertFigure8Supported(info.db);
    if (info.nodes.length !== FIGURE8_NODES) return { type: 'fail', error: `figure8 needs exactly ${FIGURE8_NODES} nodes, the cluster has ${info.nodes.length}` };
    const steps: string[] = [];
    // Each step waits for the cluster state it needs (db.status), so steps reached are observations:
    // from step 2 on, the cut majority elected its own leader, which crashed at the failpoint.
    const done = (why?: string): Completion =>
      withEffect(
        {
          fault: 'figure8',
          nodes: sortNodes(info.nodes),
          description: `figure 8: ${steps.join('; ')}${why ? `; stopped: ${why}` : ''}`,
          variant: spec.variant,
          reached: steps.length,
          // Each step is a fault of its own for the elections checker: up to three leader changes are expected.
          steps: 3,
        },
        steps.length >= 2 ? 'took-effect' : 'unverified',
        evidence(`${steps.length} of 5 steps observed${why ? ` (stopped: ${why})` : ''}`, { reached: steps.length }),
      );

    const statuses = (): Promise<MemberStatus[]> => info.db.status(info.cluster);
    const a = await info.db.leader(info.cluster);
    if (!a) return { type: 'fail', error: 'no leader to start figure 8 from' };
    const [b, ...majority] = shuffle(info.nodes.filter((n) => n !== a), new Random(spec.seed));
    const hold = canHold(info.db);

    // 1. old: A and B alone; whoever of C, D, E leads first will die before its first send.
    await Promise.all(majority.map((n) => this.arm(info, n, hold ? HOLD : PANIC)));
    await applyGrudge(info, CHAIN, complete([[a, b], majority]));
    steps.push(`${a} (leader) and ${b} cut off from ${majority.join(' ')}, armed with ${FAILPOINT} (${hold ? `sleep ${HOLD.ms} ms` : 'panic'})`);
    await sleep(OLD_ENTRIES_MS);

    // 2. orphan: the majority's first leader persists its own-term entry and dies before it sends it.
    let e: string | undefined;
    if (hold) {
      e = await this.waitFor(statuses, (all) => all.find((s) => majority.includes(s.node) && s.up && s.leader)?.node);
      if (!e) return done(`no leader elected among ${majority.join(' ')}`);
      const held = e;
      await applyGrudge(info, CHAIN, complete([[a, b], [held], majority.filter((n) => n !== held)]));
      await sleep(HOLD.ms + SAVE_MS);
      await this.kill(info, held);
    } else {
      e = await this.waitFor(statuses, (all) => all.find((s) => majority.includes(s.node) && !s.up)?.node);
      if (!e) return done(`no leader elected among ${majority.join(' ')}`);
      this.killed.add(e);
    }
    this.armed.delete(e);
    const [c, d] = majority.filter((n) => n !== e);
    await Promise.all([c, d].map((n) => this.arm(info, n, null)));
    steps.push(hold ? `${e} won the majority's election; its first send held, it was cut off, saved its entry and was killed` : `${e} won the majority's election and crashed before its first send`);

    // 3. return: heal; A's and B's messages now held back, so X trickles to C and D.
    // Nothing could commit since the cut (A has only B; E is gone): the commit index now is where X begins.
    const baseline = Math.max(...(await statuses()).filter((s) => s.node !== e).map((s) => s.index ?? 0));
    await Promise.all([a, b].map((n) => this.delay(info, n, RETURN_DELAY)));
    await applyGrudge(info, CHAIN, isolate(info.nodes, e));
    const leads = await this.waitFor(statuses, (all) => all.find((s) => s.node !== e && s.up && s.leader));
    if (!leads) return done(`neither ${a} nor ${b} led again`);
    // A member of the majority can win only with an entry newer than X: under load an earlier leader of the
    // majority, held like E, saved its own-term entry before the poll saw E lead (seen in etcd's log: that
    // member won at once after the heal, with the votes of A and B). Stop now; waiting changes nothing.
    if (leads.node !== a && leads.node !== b) return done(`${leads.node} of the majority leads term ${leads.term ?? '?'}: another member led before ${e} and saved an entry newer than ${a}'s`);
    const returned = leads.node;
    steps.push(`partition healed (${e} down): ${returned} leads again`);

    // 4. the window: the moment C or D sees the commit index move, kill the leader and cut B off.
    const moved = await this.waitFor(statuses, (all) => all.find((s) => (s.node === c || s.node === d) && (s.index ?? 0) > baseline)?.node);
    if (!moved) return done(`the commit index never moved past ${baseline} on ${c} or ${d}`);
    const other = returned === a ? b : a;
    await Promise.all([this.kill(info, returned), applyGrudge(info, CHAIN, complete([[other], [returned, c, d, e]]))]);
    steps.push(`${moved} saw the commit index pass ${baseline}: ${returned} killed, ${other} cut off`);

    // 5. overwrite: E comes back and campaigns with C and D.
    await info.db.start(info.cluster, e, { fresh: false });
    this.killed.delete(e);
    const winner = await this.waitFor(statuses, (all) => all.find((s) => [c, d, e].includes(s.node) && s.up && s.leader)?.node);
    steps.push(winner === e ? `${e} restarted and won with ${c} and ${d}` : winner ? `${e} restarted; ${winner} leads` : `${e} restarted; no leader yet`);
    return done();
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(new Set([...this.killed, ...this.delayed, ...this.armed]));
    await this.heal(info);
    return ok({ fault: 'figure8', nodes, description: 'figure 8 healed: partition flushed, delays and failpoints off, crashed nodes restarted', effect: 'unverified', evidence: evidence('the final heal (stop-all) checks the cluster') });
  }

  async heal(info: DockerClusterInfo): Promise<void> {
    await healChains(info, [CHAIN]);
    await Promise.all([...this.delayed].map((n) => this.undelay(info, n).catch(() => undefined)));
    await Promise.all([...this.armed].map((n) => this.arm(info, n, null).catch(() => undefined)));
    await Promise.all([...this.killed].map((n) => info.db.start(info.cluster, n, { fresh: false })));
    this.forget();
  }

  /** Disarm the failpoint on every node that answers (healAll: a node armed and forgotten would crash when it next leads). */
  async disarmAll(info: DockerClusterInfo): Promise<void> {
    const points = failpointsOf(info.db);
    if (!points) return;
    await Promise.all(info.nodes.map((n) => points.set(info.cluster, n, FAILPOINT, null).catch(() => undefined)));
  }

  forget(): void {
    this.killed.clear();
    this.delayed.clear();
    this.armed.clear();
  }

  private async arm(info: DockerClusterInfo, node: string, action: FailpointAction | null): Promise<void> {
    if (action) this.armed.add(node);
    await failpointsOf(info.db)!.set(info.cluster, node, FAILPOINT, action);
    if (!action) this.armed.delete(node);
  }

  private async waitFor<T>(statuses: () => Promise<MemberStatus[]>, pick: (all: MemberStatus[]) => T | undefined): Promise<T | undefined> {
    const deadline = Date.now() + STEP_BUDGET_MS;
    while (Date.now() < deadline) {
      const got = pick(await statuses());
      if (got !== undefined) return got;
      await sleep(POLL_MS);
    }
    return undefined;
  }

  private async kill(info: DockerClusterInfo, node: string): Promise<void> {
    this.killed.add(node);
    await killDb(info, node);
  }

  /** Hold the node's messages back: its message delay, or else a sleep at every send it makes as leader. */
  private async delay(info: DockerClusterInfo, node: string, delay: { probability: number; maxMs: number }): Promise<void> {
    this.delayed.add(node);
    if (info.db.delayPeerMessages) await info.db.delayPeerMessages(info.cluster, node, delay);
    else await failpointsOf(info.db)!.set(info.cluster, node, FAILPOINT, RETURN_SLEEP);
  }

  private async undelay(info: DockerClusterInfo, node: string): Promise<void> {
    if (info.db.delayPeerMessages) await info.db.delayPeerMessages(info.cluster, node, null);
    else await failpointsOf(info.db)!.set(info.cluster, node, FAILPOINT, null);
    this.delayed.delete(node);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
