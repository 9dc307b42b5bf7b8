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
// stop flushes the partition and restarts the leader: F and the old leader
// come back with the longer but older tail, which the new leader must
// overwrite (log truncation on followers). Needs 5 nodes.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { compareLogs, currentLeader, describeLog, logPosition, mostUpToDateFollower, type LogPosition } from './raft-state.ts';

export class LaggingLeaderFault extends RaftScenario {
  readonly kind = 'lagging-leader';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
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
    const won = await this.waitFor(info, (all) => {
      const l = currentLeader(all.filter((s) => rest.includes(s.node)));
      return l && (l.term ?? 0) > oldTerm ? l : undefined;
    });
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
}

function positionsOf(all: readonly MemberStatus[]): Map<string, LogPosition> {
  const out = new Map<string, LogPosition>();
  for (const s of all) {
    const p = s.up ? logPosition(s) : undefined;
    if (p) out.set(s.node, p);
  }
  return out;
}

const logJson = (p: LogPosition | undefined) => (p === undefined ? null : { index: p.index, term: p.term ?? null });
