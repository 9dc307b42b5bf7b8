// election-storm: make every surviving member campaign in the same instant,
// the window of the RequestVote rules (one vote per term, votes only for a
// log at least as up to date, votes counted only for the term they answer):
// rival candidates of one term, split votes, votes cast for one and asked
// for by another.
//
//   1. The leader is killed, and at once every follower is paused (SIGSTOP:
//      its timers stand still) before its election timer runs out.
//   2. After more than the longest election timeout, all followers resume at
//      once (wake-together.ts: microseconds apart, not an exec apiece): each
//      one's election timer ran out while it was stopped, so each campaigns
//      the moment it runs again (pre-vote included: no leader is left to
//      refuse it), in the same term.
//   3. Statuses are polled until a leader of a newer term is seen; two
//      members seen voting for themselves in one term were rival candidates.
// Whether two timers fire within one vote round trip of each other is still
// luck (a member that hears a pre-vote before its own timer fires ignores
// it, as it still believes in the old leader), so with no rivals seen the
// old leader is restarted and the storm tried again, up to three times.
// stop restarts the last leader killed.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { sleep } from './effect.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { currentLeader } from './raft-state.ts';
import type { Together } from './wake-together.ts';

/** Long enough for every election timer to run out while paused (raftkv 300-600 ms, etcd 1 s by default). */
const STOPPED_MS = 1_500;

/** Attempts while no rivals are seen: whether two candidates' timers fire within one vote round trip is luck. */
const MAX_ATTEMPTS = 3;

export class ElectionStormFault extends RaftScenario {
  readonly kind = 'election-storm';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const tries: Attempt[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const leader = (await this.withLeader(info))?.leader;
      if (!leader) break;
      const one = await this.storm(info, leader);
      tries.push(one);
      if (one.rivals.length || !one.won.found) break;
      // No contest this time: the old leader back, so the next storm has every member again.
      if (attempt < MAX_ATTEMPTS && !(await this.restart(info, leader.node))) break;
    }
    if (tries.length === 0) return 'no leader to start from';
    const last = tries[tries.length - 1];
    const { leader, woken, won, rivals, candidates } = last;
    const oldTerm = leader.term ?? 0;
    const followers = info.nodes.filter((n) => n !== leader.node);
    const measured = {
      oldLeader: leader.node,
      oldTerm,
      stoppedMs: STOPPED_MS,
      wokenTogether: woken.together,
      wokenApart: woken.apart,
      wakeSpreadUs: woken.spreadUs,
      candidates: Object.fromEntries([...candidates].map(([term, set]) => [String(term), [...set].sort()])),
      newLeader: won.found?.node ?? null,
      newTerm: won.found?.term ?? null,
      electedMs: won.ms,
      attempts: tries.length,
    };
    const wake = woken.apart.length ? `woke ${woken.together.length} at once (${woken.spreadUs} µs apart), ${woken.apart.join(' ')} by exec` : `woke all ${followers.length} within ${woken.spreadUs} µs`;
    const description = `froze ${followers.join(' ')}, killed leader ${leader.node} (term ${oldTerm}), ${wake}`;
    const seenRivals = rivals.length ? `rival candidates ${rivals.map((r) => `${r.nodes.join('+')} in term ${r.term}`).join(', ')}` : 'no two members seen campaigning in one term';
    const before = tries.length > 1 ? ` (attempt ${tries.length}; before, no rivals: ${tries.slice(0, -1).map((t) => `${t.won.found?.node ?? 'nobody'} won alone`).join(', ')})` : '';
    // The lost leader and the split votes the storm is for, on every attempt.
    const steps = 3 * tries.length;
    if (!won.found) {
      return { effect: 'unverified', nodes: info.nodes, description, summary: `${seenRivals}; no leader above term ${oldTerm} within ${won.ms} ms${before}`, measured, steps };
    }
    return {
      // The storm is what the fault is: every follower's timer had run out together. Rivals seen are the evidence it came to a contest.
      effect: rivals.length ? 'took-effect' : 'unverified',
      nodes: info.nodes,
      description,
      summary: `${seenRivals}; ${won.found.node} won term ${won.found.term} ${won.ms} ms after the wake-up${before}`,
      measured,
      steps,
    };
  }

  /** One storm from `leader`: freeze its followers, kill it, wake them together, watch who campaigns until a newer term has a leader. */
  private async storm(info: DockerClusterInfo, leader: MemberStatus): Promise<Attempt> {
    const oldTerm = leader.term ?? 0;
    const followers = info.nodes.filter((n) => n !== leader.node);

    // 1. Take the leader away, then freeze the followers at once, before any of
    //    them times out. In that order, because a follower frozen first finds the
    //    heartbeats the live leader kept sending it in its socket buffer when it
    //    wakes, follows that dead leader again and waits out a fresh timeout.
    const freeze = await this.armPause(info, followers);
    await this.kill(info, leader.node);
    await freeze.fire();
    await sleep(STOPPED_MS);

    // 2. Everyone wakes at once.
    const woken = await this.resumeTogether(info, followers);

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
    return { leader, woken, won, rivals, candidates };
  }
}

interface Attempt {
  leader: MemberStatus;
  woken: Together;
  won: { found?: MemberStatus; ms: number };
  rivals: Array<{ term: number; nodes: string[] }>;
  candidates: Map<number, Set<string>>;
}

/** Members that voted for themselves in a term above `term`: candidates of that term. */
function selfVoters(all: readonly MemberStatus[], term: number): MemberStatus[] {
  return all.filter((s) => s.up && (s.term ?? 0) > term && s.votedFor === s.node);
}
