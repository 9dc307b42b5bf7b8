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
//   Variant `late-votes`: before step 1 every member's sends are held back
//      (the DB's own message delay, up to 2.5 s each), so requests of one
//      term's campaigns arrive spread out; step 2 takes, for up to 4 s, only
//      a voter whose term has a second candidate (a rival: its request may
//      still be on its way); the voter is restarted at once, its sends held
//      again, and a request of its vote's term that was still held reaches it
//      after the restart: a member that forgot its vote grants a second one (the
//      evidence says whether it was seen voting again in that term). The
//      holds are cleared when that watch ends.
// stop restarts whoever is down, clears the holds and flushes nothing else.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { RaftScenario, STEP_BUDGET_MS, type ScenarioOutcome } from './raft-scenario.ts';
import { currentLeader, voterAbove } from './raft-state.ts';

export const CRASH_AFTER_VOTE_VARIANTS = ['down', 'reboot', 'late-votes'] as const;

/** late-votes: how every member's sends are held back (longer than a kill and a restart take, often). */
const LATE_VOTES_DELAY = { probability: 1, maxMs: 2_500 };
/** late-votes: how long the voter is watched after its restart for a second vote in its vote's term. */
const REVOTE_WATCH_MS = 3_000;
/** late-votes: how long step 2 waits for a voter whose term has a second candidate before it takes any voter. */
const RIVAL_WAIT_MS = 4_000;

/** A member campaigning in `voter`'s term other than the one it voted for: its vote request may still be on its way. */
export function rivalIn(all: readonly MemberStatus[], voter: MemberStatus): MemberStatus | undefined {
  return all.find((s) => s.node !== voter.node && s.node !== voter.votedFor && s.term === voter.term && s.votedFor === s.node);
}

export class CrashAfterVoteFault extends RaftScenario {
  readonly kind = 'crash-after-vote';

  protected async play(spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const leader = (await this.withLeader(info))?.leader;
    if (!leader) return 'no leader to start an election from';
    const oldTerm = leader.term ?? 0;
    const late = spec.variant === 'late-votes';
    const others = info.nodes.filter((n) => n !== leader.node);
    const held = late && (await Promise.all(others.map((n) => this.delaySends(info, n, LATE_VOTES_DELAY)))).every(Boolean);

    // 1. The leader dies: the others elect.
    await this.kill(info, leader.node);
    const t0 = performance.now();

    // 2. The first member seen voting for another in a newer term dies at once (held messages slow the election).
    // late-votes: one with a rival, a second candidate of that term, while one comes within RIVAL_WAIT_MS: only a
    // rival's request can reach it late (the winner's was answered); after that, any voter.
    const seen = await this.waitFor(
      info,
      (all) => voterAbove(all, oldTerm, [leader.node], late && performance.now() - t0 < RIVAL_WAIT_MS ? rivalIn : undefined),
      late ? 2 * STEP_BUDGET_MS : STEP_BUDGET_MS,
    );
    if (!seen.found) {
      if (late) await this.undelayAll(info);
      return {
        effect: 'unverified',
        nodes: [leader.node],
        description: `leader ${leader.node} killed (term ${oldTerm})`,
        summary: `no member was seen voting in a term above ${oldTerm} within ${seen.ms} ms of the leader's death`,
      };
    }
    const voter = seen.found;
    const rival = rivalIn(seen.last, voter);
    // Had the candidate already won when the vote was seen? Then the crash came after the vote's answer did its work.
    const winner = currentLeader(seen.last);
    const decided = winner !== undefined && winner.term === voter.term;
    await this.kill(info, voter.node);
    const killedMs = Math.round(performance.now() - t0);

    // 3. reboot, late-votes: back at once, while its term's election may still be open.
    const reboot = spec.variant !== 'down';
    const answered = reboot ? await this.restart(info, voter.node) : undefined;
    // late-votes: its sends are held again at once. A restarted member starts with none held, and without them it
    // reaches the next term's pre-vote quorum within a second of its restart, after which a held request of its
    // vote's term is refused for being old (seen by hand: back at +0.5 s, in the next term at +1.3 s, the rival's
    // request due up to 2.5 s after the vote). Held, its own campaign is as slow as everyone's.
    const reheld = late && held && answered ? await this.delaySends(info, voter.node, LATE_VOTES_DELAY) : false;
    // late-votes: did a held request of that term get a second vote from it?
    const revote = late ? await this.waitFor(info, (all) => votedAgain(all, voter), REVOTE_WATCH_MS) : undefined;
    if (late) await this.undelayAll(info);
    const lateSummary = !late
      ? ''
      : !held
        ? `; ${info.db.name} cannot delay messages, so no request was held`
        : revote?.found
          ? `; after its restart it voted again in term ${voter.term}, for ${revote.found.votedFor}`
          : `; no second vote of term ${voter.term} seen within ${REVOTE_WATCH_MS} ms of its restart`;
    return {
      // late-votes without held messages is a plain reboot: the late requests, its point, were not made.
      effect: late && !held ? 'unverified' : 'took-effect',
      nodes: [leader.node, voter.node],
      description: `${late ? 'every member\'s sends held back; ' : ''}leader ${leader.node} killed; ${voter.node} killed once seen voting for ${voter.votedFor} in term ${voter.term}${reboot ? ', restarted at once' : ''}`,
      summary:
        `killed leader ${leader.node} (term ${oldTerm}); ${voter.node} seen voting for ${voter.votedFor} in term ${voter.term} ${seen.ms} ms later` +
        `${rival ? `, ${rival.node} campaigning in that term too` : ''} ` +
        `(${decided ? `${winner!.node} had already won that term` : 'no leader of that term seen yet'}), gone ${killedMs - seen.ms} ms after that` +
        (reboot ? `; restarted, ${answered ? 'answering again' : 'not answering yet'}` : '; down until stop') +
        lateSummary,
      measured: {
        ...(late ? { sendsHeld: held, voterSendsHeldAgain: reheld, votedAgainFor: revote?.found?.votedFor ?? null, rival: rival?.node ?? null } : {}),
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
      // The leader's loss, and maybe another election when the crashed voter's candidate falls short;
      // with held messages, campaigns time out before their votes arrive: a few more.
      steps: late ? 4 : 2,
    };
  }
}

/** `voter` as now seen, when it votes in the same term as before for another candidate. */
function votedAgain(all: readonly MemberStatus[], voter: MemberStatus): MemberStatus | undefined {
  const now = all.find((s) => s.node === voter.node);
  return now?.up && now.term === voter.term && typeof now.votedFor === 'string' && now.votedFor !== voter.votedFor ? now : undefined;
}
