// deposed-leader: a leader the majority replaced comes back to every member
// but its successor. It then hears of the new term only in the replies to
// its own appends (each follower refuses them, naming the higher term),
// never in an append of the new leader. Figure 2's rule for all servers
// ("if an RPC request *or response* contains a term T > currentTerm, set
// currentTerm = T and convert to follower") is its only way to learn it was
// deposed: a leader that heeds the term in requests only keeps leading, and
// may count the refusals as the acknowledgements its reads and quorum
// check wait for, beside the new leader. A partition of this shape (two
// members that cannot reach each other, both reaching the rest) is what a
// flaky link between two racks makes.
//
//   1. The leader L is paused (SIGSTOP), then cut off from everyone: its
//      quorum check cannot step it down while the rest elect.
//   2. Once a member of the rest leads a higher term, the partition shrinks
//      to the link between L and that new leader, and L is resumed.
//   3. Watch, for up to an election timeout or two, whether L steps down:
//      a correct Raft does at its first round of replies.
// A leader that timed its quorum check by its clock sees the whole pause
// elapsed at its first tick after the resume, and that check may fall due
// before any reply arrives: it then steps down in its own old term, and the
// window closed unopened (seen once in CI on raftkv; by hand 0 of 10 plays). Such
// a round is played again, deposing whoever leads then, up to ROUNDS in all.
// stop heals everything.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { newLeaderAmong } from './raft-state.ts';

/** How long step 3 watches the resumed leader (raftkv's election timeout is 300-600 ms; etcd's in tests 500 ms). */
const WATCH_MS = 1_500;
/** Rounds at most: another only when the last closed unopened (stepped down in its old term before any reply). */
const ROUNDS = 3;

/** One round: who was deposed, by whom, and how the old leader left its term (or did not). */
interface Round {
  oldLeader: string;
  oldTerm: number;
  newLeader: string;
  newTerm: number | null;
  electedMs: number;
  stillLeads: boolean;
  watchedMs: number;
  /** The term the old leader was in when it stopped leading (undefined while it still leads). */
  stepDownTerm?: number;
  description: string;
}

/** A round whose old leader stopped leading in its own term: its quorum check beat every reply, nothing told it of the new term. */
const closedUnopened = (r: Round): boolean => !r.stillLeads && r.stepDownTerm === r.oldTerm;

export class DeposedLeaderFault extends RaftScenario {
  readonly kind = 'deposed-leader';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const rounds: Round[] = [];
    let cutShort = '';
    for (;;) {
      const round = await this.playRound(info);
      if (typeof round === 'string') {
        if (rounds.length === 0) return round;
        cutShort = `; round ${rounds.length + 1} did not begin: ${round}`;
        break; // an earlier round stands; the heal at stop undoes this one's partial steps
      }
      if ('unverified' in round) {
        if (rounds.length === 0) return { effect: 'unverified', nodes: round.nodes, description: round.description, summary: round.unverified };
        cutShort = `; round ${rounds.length + 1}: ${round.unverified}`;
        break;
      }
      rounds.push(round);
      if (!closedUnopened(round) || rounds.length === ROUNDS) break;
      // Let the old leader rejoin and the cluster settle on one leader, then depose that one.
      await this.unpartition(info);
    }
    const last = rounds[rounds.length - 1];
    const again = rounds.length > 1 ? ` (round ${rounds.length}; in the ${rounds.length - 1} before it, the old leader stepped down in its own term, its quorum check before any reply)` : '';
    return {
      // The faults were made: a new leader elected while the old one was away, the old one resumed into the reshaped
      // partition. Whether replies were what told it of the new term, closedUnopened says for the last round.
      effect: 'took-effect',
      nodes: [last.oldLeader, last.newLeader],
      description: rounds.map((r) => r.description).join('; then '),
      summary:
        `${last.newLeader} won term ${last.newTerm} ${last.electedMs} ms after ${last.oldLeader} was paused and cut off; ${last.oldLeader} resumed reaching everyone but ${last.newLeader}: ` +
        (last.stillLeads ? `still leading term ${last.oldTerm} after ${last.watchedMs} ms` : `stepped down within ${last.watchedMs} ms (term ${last.stepDownTerm})`) +
        again +
        cutShort,
      measured: {
        oldLeader: last.oldLeader,
        oldTerm: last.oldTerm,
        newLeader: last.newLeader,
        newTerm: last.newTerm,
        electedMs: last.electedMs,
        oldLeaderStillLeads: last.stillLeads,
        watchedMs: last.watchedMs,
        rounds: rounds.length,
        closedUnopened: rounds.filter(closedUnopened).length,
      },
      steps: rounds.length,
    };
  }

  /** Steps 1-3 once: a round, why it could not begin, or that no one was elected (the old leader stays paused until stop). */
  private async playRound(info: DockerClusterInfo): Promise<Round | string | { unverified: string; nodes: string[]; description: string }> {
    const start = await this.withLeader(info);
    if (!start) return 'no leader to depose';
    const old = start.leader;
    const oldTerm = old.term ?? 0;
    const rest = info.nodes.filter((n) => n !== old.node);
    const what = `${old.node} (leader, term ${oldTerm}) paused and cut off from ${rest.join(' ')}`;

    // 1. Paused first: cut off while running, its quorum check could step it down before the rest elect.
    await this.pause(info, old.node);
    await this.partition(info, complete([[old.node], rest]));
    const won = await this.waitFor(info, (all) => newLeaderAmong(all, rest, oldTerm));
    if (!won.found) {
      return { unverified: `no leader among ${rest.join(' ')} within ${won.ms} ms; ${old.node} stays paused until stop`, nodes: [old.node], description: what };
    }
    const successor = won.found;

    // 2. Only the link between the two leaders stays cut; the old one wakes.
    await this.partition(info, complete([[old.node], [successor.node]]));
    await this.resume(info, old.node);

    // 3. How long the old leader goes on leading beside the new one.
    const steppedDown = await this.waitFor(
      info,
      (all) => {
        const s = all.find((x) => x.node === old.node);
        return s?.up && !(s.leader && (s.term ?? 0) === oldTerm) ? s : undefined;
      },
      WATCH_MS,
    );
    return {
      oldLeader: old.node,
      oldTerm,
      newLeader: successor.node,
      newTerm: successor.term ?? null,
      electedMs: won.ms,
      stillLeads: steppedDown.found === undefined,
      watchedMs: steppedDown.ms,
      stepDownTerm: steppedDown.found?.term,
      description: `${what}; once ${successor.node} led term ${successor.term}, only ${old.node} <-> ${successor.node} stayed cut and ${old.node} was resumed`,
    };
  }
}
