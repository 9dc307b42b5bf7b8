// crash-after-vote: crash a member right after it voted in an election, the
// window of bugs that reply to a vote before the vote (or the term) is
// persisted: restarted, such a member may vote again in the same term, for
// another candidate, and two leaders share a term.
//
//   1. The leader is killed: an election begins.
//   2. Statuses are polled back to back; the first member seen with a term
//      above the old leader's and a vote for another member is killed at
//      once (the poll is the limit: a few ms after the vote at best, often
//      after the candidate already won; the evidence says which).
//   3. Variant `reboot`: it is restarted at once, while the election may
//      still be open; `down`: it stays down until stop.
// stop restarts whoever is down and flushes nothing else.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { currentLeader, voterAbove } from './raft-state.ts';

export const CRASH_AFTER_VOTE_VARIANTS = ['down', 'reboot'] as const;

export class CrashAfterVoteFault extends RaftScenario {
  readonly kind = 'crash-after-vote';

  protected async play(spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const leader = (await this.withLeader(info))?.leader;
    if (!leader) return 'no leader to start an election from';
    const oldTerm = leader.term ?? 0;

    // 1. The leader dies: the others elect.
    await this.kill(info, leader.node);
    const t0 = performance.now();

    // 2. The first member seen voting for another in a newer term dies at once.
    const seen = await this.waitFor(info, (all) => voterAbove(all, oldTerm, [leader.node]));
    if (!seen.found) {
      return {
        effect: 'unverified',
        nodes: [leader.node],
        description: `leader ${leader.node} killed (term ${oldTerm})`,
        summary: `no member was seen voting in a term above ${oldTerm} within ${seen.ms} ms of the leader's death`,
      };
    }
    const voter = seen.found;
    // Had the candidate already won when the vote was seen? Then the crash came after the vote's answer did its work.
    const winner = currentLeader(seen.last);
    const decided = winner !== undefined && winner.term === voter.term;
    await this.kill(info, voter.node);
    const killedMs = Math.round(performance.now() - t0);

    // 3. reboot: back at once, while its term's election may still be open.
    const reboot = spec.variant === 'reboot';
    const answered = reboot ? await this.restart(info, voter.node) : undefined;
    return {
      effect: 'took-effect',
      nodes: [leader.node, voter.node],
      description: `leader ${leader.node} killed; ${voter.node} killed once seen voting for ${voter.votedFor} in term ${voter.term}${reboot ? ', restarted at once' : ''}`,
      summary:
        `killed leader ${leader.node} (term ${oldTerm}); ${voter.node} seen voting for ${voter.votedFor} in term ${voter.term} ${seen.ms} ms later ` +
        `(${decided ? `${winner!.node} had already won that term` : 'no leader of that term seen yet'}), gone ${killedMs - seen.ms} ms after that` +
        (reboot ? `; restarted, ${answered ? 'answering again' : 'not answering yet'}` : '; down until stop'),
      measured: {
        oldLeader: leader.node,
        oldTerm,
        voter: voter.node,
        votedFor: voter.votedFor ?? null,
        voteTerm: voter.term ?? null,
        seenMs: seen.ms,
        killedMs,
        electionDecided: decided,
        rebooted: reboot,
      },
      // The leader's loss, and maybe another election when the crashed voter's candidate falls short.
      steps: 2,
    };
  }
}
