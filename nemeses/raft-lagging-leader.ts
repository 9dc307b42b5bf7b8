// lagging-leader: make a member whose log is behind another's win an
// election, the window in which vote-rule bugs (votes that ignore how up to
// date the candidate's log is) lose committed writes.
//
//   1. The leader and its most up-to-date follower F are cut off together
//      from the rest. The leader keeps appending client writes that only F
//      gets, so F's log runs ahead of every other member's (entries nobody
//      can commit).
//   2. The moment F is seen ahead of all the others, the leader is killed.
//   3. The rest, a bare majority (5 nodes: 3), must elect one of themselves:
//      a member whose log is behind F's.
// Variant `stale-commit` is `stragglers` with the leader's sends held back
// (each up to 800 ms, in the DB's own transport; raftkv): its acks come
// back but the commit index it sends reaches the keepers late, so the
// kill waits until a keeper does not yet know entries are committed that
// clients already saw acknowledged, and that keeper is the one left to win.
// Its first commit of its own term needs both stragglers caught up; until
// then its commit index is behind what the old leader acknowledged (thesis
// §6.4: a new leader must not serve reads before that first commit). From
// the kill on, that keeper's own sends are held back too (each up to 400 ms;
// its campaign runs late as well): catching the stragglers up once it won is one
// round trip after another, each may run late, while a read's quorum round
// is a single one, so the window stays open for many of them (the evidence
// says how long: its commit index reaching what the old leader had
// acknowledged, counted from when it was seen leading).
//
// stop flushes the partition and restarts the leader: F and the old leader
// come back with the longer but older tail, which the new leader must
// overwrite (log truncation on followers). Needs 5 nodes.
//
// Variant `stragglers` makes the members that lag miss *committed* entries,
// the case where a vote-rule bug loses acknowledged writes:
//   1. Two followers S1 S2 (the stragglers) are cut off from the other three;
//      the leader keeps committing with its two other followers F1 F2, so
//      every entry committed now is on the leader, F1 and F2 only.
//   2. Once the leader's commit index is past both stragglers' logs, the
//      leader is killed and the more up-to-date of F1 F2 is cut off alone.
//   3. The electorate is S1 S2 and the other F: three of five, a bare
//      majority that must all vote. Raft's vote rule leaves exactly one
//      member able to win, the F that holds every committed entry; a
//      straggler that wins is a member behind the commit index leading.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { byFreshness, compareLogs, describeLog, logPosition, mostUpToDateFollower, newLeaderAmong, type LogPosition } from './raft-state.ts';

export class LaggingLeaderFault extends RaftScenario {
  readonly kind = 'lagging-leader';

  protected async play(spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    if (spec.variant === 'scripted') return this.aheadFollower(info);
    return this.stragglers(info, spec.variant === 'stale-commit');
  }

  private async aheadFollower(info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const start = await this.withLeader(info);
    if (!start) return 'no leader to start from';
    const { leader, all: before } = start;
    const ahead = mostUpToDateFollower(before, leader.node);
    if (!ahead) return 'no follower reports its log';
    const rest = info.nodes.filter((n) => n !== leader.node && n !== ahead.node);
    const oldTerm = leader.term ?? 0;
    const nodes = [leader.node, ahead.node];
    const what = `${leader.node} (leader, term ${oldTerm}) and ${ahead.node} (most up-to-date follower) cut off from ${rest.join(' ')}`;

    // 1. The pair alone: the leader's new entries reach only `ahead`.
    await this.partition(info, complete([nodes, rest]));
    const gap = await this.waitFor(info, (all) => {
      // Too late once the rest elected (their new leader's first entry would outrank the tail).
      if (all.some((s) => rest.includes(s.node) && (s.term ?? 0) > oldTerm && s.leader)) return 'elected' as const;
      const positions = positionsOf(all);
      const f = positions.get(ahead.node);
      if (!f || rest.some((n) => !positions.has(n))) return undefined;
      return rest.every((n) => compareLogs(f, positions.get(n)!) > 0) ? positions : undefined;
    });
    if (gap.found === undefined || gap.found === 'elected') {
      const why = gap.found === 'elected' ? 'the rest elected a leader first' : `not within ${gap.ms} ms`;
      return { effect: 'unverified', nodes, description: what, summary: `${ahead.node}'s log never got ahead of ${rest.join(' ')}'s (${why}: no write reached ${leader.node}?); leader not killed` };
    }
    // Every log is frozen from here on until the rest elect: these are the positions the election compares.
    const positions = gap.found;
    const fPos = positions.get(ahead.node)!;

    // 2. The leader dies; `ahead` stays cut off.
    await this.kill(info, leader.node);

    // 3. The rest elect one of themselves.
    const won = await this.waitFor(info, (all) => newLeaderAmong(all, rest, oldTerm));
    const measured = {
      leader: leader.node,
      isolated: ahead.node,
      isolatedLog: logJson(fPos),
      logsAtKill: Object.fromEntries([...positions].map(([n, p]) => [n, logJson(p)])),
      gapMs: gap.ms,
    };
    const description = `${what}; ${leader.node} killed once ${ahead.node} was ahead`;
    if (!won.found) {
      return { effect: 'unverified', nodes, description, summary: `${ahead.node} ahead at ${describeLog(fPos)}; ${leader.node} killed; no leader among ${rest.join(' ')} within ${won.ms} ms`, measured };
    }
    const winner: MemberStatus = won.found;
    const wPos = positions.get(winner.node);
    const behind = wPos !== undefined && compareLogs(wPos, fPos) < 0;
    return {
      effect: behind ? 'took-effect' : 'unverified',
      nodes,
      description,
      summary:
        `${ahead.node} had ${describeLog(fPos)}, ahead of ${rest.join(' ')}; isolated it, killed leader ${leader.node}; ` +
        `${winner.node} won term ${winner.term} with ${describeLog(wPos)}${behind ? `, behind ${ahead.node}` : ''} (${won.ms} ms after the kill)`,
      measured: { ...measured, newLeader: winner.node, newTerm: winner.term ?? null, newLeaderLogAtElection: logJson(wPos), winnerBehind: behind },
      steps: 2,
    };
  }

  private async stragglers(info: DockerClusterInfo, staleCommit: boolean): Promise<ScenarioOutcome | string> {
    const start = await this.withLeader(info);
    if (!start) return 'no leader to start from';
    const { leader, all: before } = start;
    // The two least up-to-date followers straggle: they are the likeliest to be behind already.
    const followers = byFreshness(before.filter((s) => s.node !== leader.node));
    if (followers.length < 4) return `only ${followers.length} followers report their log (need 4)`;
    const stragglers = followers.slice(0, 2).map((s) => s.node);
    const keepers = info.nodes.filter((n) => n !== leader.node && !stragglers.includes(n));
    const oldTerm = leader.term ?? 0;
    const what = `${stragglers.join(' ')} (stragglers) cut off from leader ${leader.node} (term ${oldTerm}) and ${keepers.join(' ')}`;

    // 1. The leader commits with the keepers alone until the stragglers miss committed entries.
    await this.partition(info, complete([stragglers, [leader.node, ...keepers]]));
    // stale-commit: the leader's sends run late and out of order, so its commit index reaches the keepers
    // well after the acks that advanced it came back.
    const delayed = staleCommit && (await this.delaySends(info, leader.node, STALE_COMMIT_DELAY));
    // A straggler's log counts as frozen only once it read the same for FROZEN_MS: entries already on their
    // way (in its socket buffer when the cut landed, or queued behind a busy event loop) still arrive after
    // the cut, and a log read before them would make a correct winner look behind the commit index.
    let seen: { logs: string; at: number } | undefined;
    const gap = await this.waitFor(info, (all) => {
      const l = all.find((s) => s.node === leader.node);
      if (!l?.up || !l.leader || (l.term ?? 0) !== oldTerm) return 'deposed' as const;
      const stragglerLogs = stragglers.map((n) => all.find((s) => s.node === n)?.lastLogIndex);
      if (l.commitIndex === undefined || stragglerLogs.some((i) => i === undefined)) return undefined;
      const logs = stragglerLogs.join(' ');
      if (seen?.logs !== logs) seen = { logs, at: performance.now() };
      if (performance.now() - seen.at < FROZEN_MS) return undefined;
      if (!stragglerLogs.every((i) => l.commitIndex! > i!)) return undefined;
      // stale-commit: also a keeper that does not know the commit index yet (it holds every committed entry).
      return !staleCommit || keepers.some((k) => (all.find((s) => s.node === k)?.commitIndex ?? Infinity) < l.commitIndex!) ? all : undefined;
    });
    if (gap.found === undefined || gap.found === 'deposed') {
      const why = gap.found === 'deposed' ? `${leader.node} stopped leading term ${oldTerm}` : `not within ${gap.ms} ms (no writes committed?)`;
      const lag = staleCommit ? ` and a keeper's commit index behind it${delayed ? '' : ` (${info.db.name} cannot delay messages)`}` : '';
      return { effect: 'unverified', nodes: stragglers, description: what, summary: `the leader's commit index never passed ${stragglers.join(' ')}'s logs${lag} (${why}); leader not killed` };
    }
    const atKill = gap.found;
    const committed = atKill.find((s) => s.node === leader.node)!.commitIndex!;
    // 2. Kill the leader, then cut the most up-to-date keeper off alone.
    const keeperStatus = staleCommit
      ? // The keeper with the staler commit index is the one left to win.
        atKill.filter((s) => keepers.includes(s.node)).sort((a, b) => (a.commitIndex ?? 0) - (b.commitIndex ?? 0))
      : byFreshness(atKill.filter((s) => keepers.includes(s.node)));
    const isolated = keeperStatus.at(-1)?.node ?? keepers[1];
    const holder = keepers.find((n) => n !== isolated)!;
    const electorate = [holder, ...stragglers];
    await this.kill(info, leader.node);
    // The dead leader stays cut off too: what its kernel still retransmits for it (data its sockets held when
    // it died, stuck behind the first cut) would otherwise reach the stragglers now, after their logs were read.
    await this.partition(info, complete([[isolated], [leader.node], electorate]));
    // stale-commit: the holder's sends run late from now on (step 4 measures the window this opens).
    const holderDelayed = staleCommit && delayed && (await this.delaySends(info, holder, WINNER_DELAY));

    // 3. The bare majority elects.
    const won = await this.waitFor(info, (all) => newLeaderAmong(all, electorate, oldTerm));
    const logs = Object.fromEntries(atKill.filter((s) => s.up).map((s) => [s.node, logJson(logPosition(s))]));
    const holderCommit = atKill.find((s) => s.node === holder)?.commitIndex ?? null;
    const measured = { leader: leader.node, stragglers, holder, isolated, committedAtKill: committed, holderCommitAtKill: holderCommit, logsAtKill: logs, gapMs: gap.ms };
    const description = `${what}; ${leader.node} killed and ${isolated} cut off once the stragglers missed committed entries`;
    if (!won.found) {
      return { effect: 'unverified', nodes: [...stragglers, leader.node, isolated], description, summary: `commit index ${committed} past ${stragglers.join(' ')}'s logs; no leader among ${electorate.join(' ')} within ${won.ms} ms`, measured };
    }
    const winner = won.found;
    // The stragglers' logs were frozen (cut off) when read; any other member's was read beside the leader's, not
    // at the same instant, so it may trail the commit index by entries it already holds: judge it by its log once it won.
    const winnerLog = stragglers.includes(winner.node) ? atKill.find((s) => s.node === winner.node)?.lastLogIndex : winner.lastLogIndex;
    const winnerBehind = winnerLog !== undefined && winnerLog < committed;
    // stale-commit aims at a leader that starts its term not knowing what its predecessor acknowledged.
    const staleWinner = winner.node === holder && holderCommit !== null && holderCommit < committed;
    // 4. stale-commit: how long the winner, its sends running late, leads before it knows what its predecessor acknowledged.
    let caughtUp: { ms: number; found: boolean } | undefined;
    if (staleWinner && holderDelayed) {
      const knows = await this.waitFor(info, (all) => ((all.find((s) => s.node === winner.node)?.commitIndex ?? 0) >= committed ? true : undefined), WINDOW_WATCH_MS);
      caughtUp = { ms: knows.ms, found: knows.found === true };
    }
    const window = caughtUp
      ? `; with its sends held back too, it ${caughtUp.found ? `knew commit index ${committed} ${caughtUp.ms} ms after it won` : `still did not know commit index ${committed} ${caughtUp.ms} ms after it won`}`
      : '';
    return {
      // The window was made either way: a correct Raft elects the holder, a broken vote rule may elect a straggler.
      effect: !staleCommit || staleWinner ? 'took-effect' : 'unverified',
      nodes: [...stragglers, leader.node, isolated],
      description,
      summary:
        `${leader.node} had committed through ${committed}, past ${stragglers.join(' ')}'s logs; killed it, cut ${isolated} off; ` +
        `${winner.node} won term ${winner.term} with ${winnerLog === undefined ? 'its log unknown' : `last index ${winnerLog}`}` +
        `${winnerBehind ? ': a member missing committed entries leads' : ''} (${won.ms} ms after the kill)` +
        (staleCommit ? `; ${holder} knew commit index ${holderCommit ?? 'unknown'} at the kill${staleWinner ? ', behind writes already acknowledged' : ''}${window}` : ''),
      measured: {
        ...measured,
        newLeader: winner.node,
        newTerm: winner.term ?? null,
        winnerBehind,
        ...(staleCommit ? { staleWinner } : {}),
        ...(caughtUp ? { staleCommitWindowMs: caughtUp.found ? caughtUp.ms : null } : {}),
      },
      steps: 2,
    };
  }
}

/**
 * stale-commit, the leader: every send held up to 800 ms (raftkv heartbeats every 50 ms), so a keeper learns the
 * commit index long after the acks that advanced it. Measured (by hand, read-index-before-own-commit planted,
 * max-append-entries 256, 5 seeds each): with half the sends held up to 400 ms, 1 of 4 runs caught; with this, 4 of 5.
 */
const STALE_COMMIT_DELAY = { probability: 1, maxMs: 800 };

/**
 * stale-commit, the holder from the kill on: every send held up to 400 ms, so the two round trips in a row
 * that its first commit needs take longer than the single one of a read's quorum round.
 */
const WINNER_DELAY = { probability: 1, maxMs: 400 };

/** stale-commit: how long step 4 watches for the winner to learn what its predecessor acknowledged. */
const WINDOW_WATCH_MS = 3_000;

/** How long a cut-off member's log must read the same before it counts as frozen. */
const FROZEN_MS = 300;

function positionsOf(all: readonly MemberStatus[]): Map<string, LogPosition> {
  const out = new Map<string, LogPosition>();
  for (const s of all) {
    const p = s.up ? logPosition(s) : undefined;
    if (p) out.set(s.node, p);
  }
  return out;
}

const logJson = (p: LogPosition | undefined) => (p === undefined ? null : { index: p.index, term: p.term ?? null });
