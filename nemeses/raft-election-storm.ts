// election-storm: make every surviving member campaign in the same instant,
// the window of the RequestVote rules (one vote per term, votes only for a
// log at least as up to date, votes counted only for the term they answer):
// rival candidates of one term, split votes, votes cast for one and asked
// for by another.
//
//   1. Every follower is paused (SIGSTOP: its timers stand still), then the
//      leader is killed.
//   2. After more than the longest election timeout, all followers resume at
//      once: each one's election timer ran out while it was stopped, so each
//      campaigns the moment it runs again (pre-vote included: no leader is
//      left to refuse it), in the same term.
//   3. Statuses are polled until a leader of a newer term is seen; two
//      members seen voting for themselves in one term were rival candidates.
// stop restarts the old leader.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { sleep } from './effect.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { currentLeader } from './raft-state.ts';

/** Long enough for every election timer to run out while paused (raftkv 300-600 ms, etcd 1 s by default). */
const STOPPED_MS = 1_500;

export class ElectionStormFault extends RaftScenario {
  readonly kind = 'election-storm';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const leader = (await this.withLeader(info))?.leader;
    if (!leader) return 'no leader to start from';
    const oldTerm = leader.term ?? 0;
    const followers = info.nodes.filter((n) => n !== leader.node);

    // 1. Freeze the followers, then take the leader away.
    await Promise.all(followers.map((n) => this.pause(info, n)));
    await this.kill(info, leader.node);
    await sleep(STOPPED_MS);

    // 2. Everyone wakes at once.
    await Promise.all(followers.map((n) => this.resume(info, n)));

    // 3. Who campaigned in which term, until a newer term has a leader.
    const candidates = new Map<number, Set<string>>();
    const won = await this.waitFor(info, (all) => {
      for (const s of selfVoters(all, oldTerm)) {
        const set = candidates.get(s.term!) ?? new Set<string>();
        set.add(s.node);
        candidates.set(s.term!, set);
      }
      const l = currentLeader(all);
      return l && (l.term ?? 0) > oldTerm ? l : undefined;
    });
    const rivals = [...candidates].filter(([, set]) => set.size >= 2).map(([term, set]) => ({ term, nodes: [...set].sort() }));
    const measured = {
      oldLeader: leader.node,
      oldTerm,
      stoppedMs: STOPPED_MS,
      candidates: Object.fromEntries([...candidates].map(([term, set]) => [String(term), [...set].sort()])),
      newLeader: won.found?.node ?? null,
      newTerm: won.found?.term ?? null,
      electedMs: won.ms,
    };
    const description = `froze ${followers.join(' ')}, killed leader ${leader.node} (term ${oldTerm}), woke all ${followers.length} at once`;
    const seenRivals = rivals.length ? `rival candidates ${rivals.map((r) => `${r.nodes.join('+')} in term ${r.term}`).join(', ')}` : 'no two members seen campaigning in one term';
    if (!won.found) {
      return { effect: 'unverified', nodes: info.nodes, description, summary: `${seenRivals}; no leader above term ${oldTerm} within ${won.ms} ms`, measured };
    }
    return {
      // The storm is what the fault is: every follower's timer had run out together. Rivals seen are the evidence it came to a contest.
      effect: rivals.length ? 'took-effect' : 'unverified',
      nodes: info.nodes,
      description,
      summary: `${seenRivals}; ${won.found.node} won term ${won.found.term} ${won.ms} ms after the wake-up`,
      measured,
      // The lost leader, and the split votes the storm is for.
      steps: 3,
    };
  }
}

/** Members that voted for themselves in a term above `term`: candidates of that term. */
function selfVoters(all: readonly MemberStatus[], term: number): MemberStatus[] {
  return all.filter((s) => s.up && (s.term ?? 0) > term && s.votedFor === s.node);
}
