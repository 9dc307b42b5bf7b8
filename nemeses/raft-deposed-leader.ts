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
// stop heals everything.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { newLeaderAmong } from './raft-state.ts';

/** How long step 3 watches the resumed leader (raftkv's election timeout is 300-600 ms; etcd's in tests 500 ms). */
const WATCH_MS = 1_500;

export class DeposedLeaderFault extends RaftScenario {
  readonly kind = 'deposed-leader';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
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
      return { effect: 'unverified', nodes: [old.node], description: what, summary: `no leader among ${rest.join(' ')} within ${won.ms} ms; ${old.node} stays paused until stop` };
    }
    const successor = won.found;

    // 2. Only the link between the two leaders stays cut; the old one wakes.
    await this.partition(info, complete([[old.node], [successor.node]]));
    await this.resume(info, old.node);
    const description = `${what}; once ${successor.node} led term ${successor.term}, only ${old.node} <-> ${successor.node} stayed cut and ${old.node} was resumed`;

    // 3. How long the old leader goes on leading beside the new one.
    const steppedDown = await this.waitFor(
      info,
      (all) => {
        const s = all.find((x) => x.node === old.node);
        return s?.up && !(s.leader && (s.term ?? 0) === oldTerm) ? s : undefined;
      },
      WATCH_MS,
    );
    const stillLeads = steppedDown.found === undefined;
    return {
      // The window was made either way: a correct Raft steps down at the first replies, a broken one may not.
      effect: 'took-effect',
      nodes: [old.node, successor.node],
      description,
      summary:
        `${successor.node} won term ${successor.term} ${won.ms} ms after ${old.node} was paused and cut off; ${old.node} resumed reaching everyone but ${successor.node}: ` +
        (stillLeads ? `still leading term ${oldTerm} after ${steppedDown.ms} ms` : `stepped down within ${steppedDown.ms} ms (term ${steppedDown.found!.term})`),
      measured: {
        oldLeader: old.node,
        oldTerm,
        newLeader: successor.node,
        newTerm: successor.term ?? null,
        electedMs: won.ms,
        oldLeaderStillLeads: stillLeads,
        watchedMs: steppedDown.ms,
      },
      steps: 1,
    };
  }
}
