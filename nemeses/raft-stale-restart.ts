// stale-restart: kill the members with the most up-to-date logs (a
// majority), then bring them back laggards first, each after the cluster had
// time to elect, so the first elections are held among the stalest logs
// while fresher ones are still down: the order that exposes vote-rule and
// persistence bugs (a stale log wins and overwrites committed entries; a log
// or vote not fsynced comes back shorter than it was acknowledged).
//
//   1. The freshest majority (by last log term, then index) is killed.
//   2. They restart one at a time, least up to date first; after each, once
//      the living members form a majority, a leader is awaited (step budget)
//      before the next restart.
// took-effect when a leader was elected while a member with a log at least
// as up to date was still down. stop restarts whoever the script left down.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { majority } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { byFreshness, compareLogs, currentLeader, describeLog, logPosition } from './raft-state.ts';

export class StaleRestartFault extends RaftScenario {
  readonly kind = 'stale-restart';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    // From a settled cluster: a leader, so the logs compared are its followers' (etcd: as it sees them).
    const start = await this.withLeader(info);
    if (!start) return 'no leader to start from';
    const before = start.all;
    const ordered = byFreshness(before);
    if (ordered.length < info.nodes.length) return `only ${ordered.map((s) => s.node).join(' ') || 'no node'} report their logs: cannot order all ${info.nodes.length} members`;
    const oldTerm = Math.max(...before.map((s) => s.term ?? 0));
    const victims = ordered.slice(-majority(info.nodes.length));
    const survivors = ordered.slice(0, ordered.length - victims.length).map((s) => s.node);
    const logs = Object.fromEntries(ordered.map((s) => [s.node, describeLog(logPosition(s))]));

    // 1. The freshest majority dies at once.
    await Promise.all(victims.map((v) => this.kill(info, v.node)));

    // 2. Laggards first, a leader awaited after each once a majority lives.
    const story: string[] = [];
    let staleWin: { leader: MemberStatus; fresher: string[] } | undefined;
    const alive = new Set(survivors);
    for (const [i, v] of victims.entries()) {
      const answered = await this.restart(info, v.node);
      alive.add(v.node);
      const stillDown = victims.slice(i + 1);
      if (!answered) {
        story.push(`${v.node} restarted but not answering`);
        continue;
      }
      if (alive.size < majority(info.nodes.length)) {
        story.push(`${v.node} back`);
        continue;
      }
      const won = await this.waitFor(info, (all) => {
        const l = currentLeader(all.filter((s) => alive.has(s.node)));
        return l && (l.term ?? 0) > oldTerm ? l : undefined;
      });
      if (!won.found) {
        story.push(`${v.node} back, no leader within ${won.ms} ms`);
        continue;
      }
      const leader = won.found;
      const leaderWas = before.find((s) => s.node === leader.node)!;
      // The members still down whose logs are at least as up to date as the winner's was before the kill.
      const fresher = stillDown.filter((d) => compareLogs(logPosition(d)!, logPosition(leaderWas)!) >= 0).map((d) => d.node);
      story.push(`${v.node} back, ${leader.node} leads term ${leader.term}${stillDown.length ? ` while ${stillDown.map((d) => d.node).join(' ')} still down` : ''}`);
      if (fresher.length && !staleWin) staleWin = { leader: leaderWas, fresher };
      // No pause once everyone is back.
      if (!stillDown.length) break;
    }

    const description = `killed ${victims.map((v) => v.node).join(' ')} (the most up-to-date logs), restarted least up to date first`;
    const measured = {
      killed: victims.map((v) => v.node),
      restartOrder: victims.map((v) => v.node),
      survivors,
      logsBeforeKill: logs,
      ...(staleWin ? { staleLeader: staleWin.leader.node, fresherDown: staleWin.fresher } : {}),
    };
    return {
      effect: staleWin ? 'took-effect' : 'unverified',
      nodes: victims.map((v) => v.node),
      description,
      summary:
        `logs before: ${ordered.map((s) => `${s.node} ${logs[s.node]}`).join(', ')}; killed ${victims.map((v) => v.node).join(' ')}; ${story.join('; ')}` +
        (staleWin ? `: ${staleWin.leader.node} won while ${staleWin.fresher.join(' ')} with logs at least as up to date were down` : '; no election among stale logs was seen'),
      measured,
      steps: 2,
    };
  }
}
