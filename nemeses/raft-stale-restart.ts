// stale-restart: kill the members with the most up-to-date logs (a
// majority), then bring them back laggards first, each after the cluster had
// time to elect, so the first elections are held among the stalest logs
// while fresher ones are still down: the order that exposes vote-rule and
// persistence bugs (a stale log wins and overwrites committed entries; a log
// or vote not fsynced comes back shorter than it was acknowledged).
//
//   1. The minority that will survive (the least up-to-date logs) is cut off
//      from the rest until the leader has committed entries they lack
//      (under client load, a fraction of a second), so their logs are
//      strictly stale even where every log was equal at the start.
//   2. The freshest majority (by last log term, then index; the leader among
//      them) is killed, then the cut shrinks to the dead: each stays cut off
//      until it restarts, so what its kernel still retransmits for it (data
//      its sockets held when it died) cannot reach the survivors' logs after
//      they were read.
//   3. They restart one at a time, least up to date first; after each, once
//      the living members form a majority, a leader is awaited (step budget)
//      before the next restart.
// took-effect when a leader was elected while a member with a log at least
// as up to date was still down. stop restarts whoever the script left down.
import type { DockerClusterInfo, MemberStatus } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete, majority } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { byFreshness, compareLogs, describeLog, logPosition, newLeaderAmong } from './raft-state.ts';

export class StaleRestartFault extends RaftScenario {
  readonly kind = 'stale-restart';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    // From a settled cluster: a leader, so the logs compared are its followers' (etcd: as it sees them).
    const start = await this.withLeader(info);
    if (!start) return 'no leader to start from';
    const { leader } = start;
    // The leader counts as the freshest among equals: it must die, or it simply stays leader when a majority is back.
    const ranked = byFreshness(start.all);
    if (ranked.length < info.nodes.length) return `only ${ranked.map((s) => s.node).join(' ') || 'no node'} report their logs: cannot order all ${info.nodes.length} members`;
    const ordered = [...ranked.filter((s) => s.node !== leader.node), ranked.find((s) => s.node === leader.node)!];
    const oldTerm = Math.max(...ranked.map((s) => s.term ?? 0));
    const survivors = ordered.slice(0, ordered.length - majority(info.nodes.length)).map((s) => s.node);
    const victimNodes = ordered.slice(survivors.length).map((s) => s.node);
    const story: string[] = [];

    // 1. The survivors fall behind: the leader commits without them.
    await this.partition(info, complete([survivors, victimNodes]));
    const lag = await this.waitFor(info, (all) => {
      const l = all.find((s) => s.node === leader.node);
      if (!l?.up || !l.leader || l.commitIndex === undefined) return undefined;
      const theirs = survivors.map((n) => all.find((s) => s.node === n)?.lastLogIndex);
      return theirs.every((i) => i !== undefined && l.commitIndex! > i) ? all : undefined;
    });
    story.push(lag.found ? `${survivors.join(' ')} cut off until ${leader.node} committed past them (${lag.ms} ms)` : `${survivors.join(' ')} cut off ${lag.ms} ms, ${leader.node} did not commit past them (no writes?)`);
    // The positions compared from here on: frozen for the victims, who die now.
    const before = lag.found ?? lag.last;
    const atKill = (n: string): MemberStatus => before.find((s) => s.node === n && logPosition(s)) ?? ordered.find((s) => s.node === n)!;
    const positionAtKill = (n: string) => logPosition(atKill(n));
    const victims = victimNodes.map(atKill);
    const logs = Object.fromEntries(ordered.map((s) => [s.node, describeLog(positionAtKill(s.node))]));

    // 2. The freshest majority dies at once; then only the dead stay cut off, each until it restarts.
    await Promise.all(victims.map((v) => this.kill(info, v.node)));
    const cutOffTheDown = (alive: ReadonlySet<string>, down: readonly MemberStatus[]): Promise<void> =>
      down.length ? this.partition(info, complete([[...alive], ...down.map((d) => [d.node])])) : this.unpartition(info);
    await cutOffTheDown(new Set(survivors), victims);

    // 3. Laggards first, a leader awaited after each once a majority lives.
    let staleWin: { leader: string; fresher: string[] } | undefined;
    const alive = new Set(survivors);
    // Least up to date first, by the positions at the kill.
    victims.sort((a, b) => compareLogs(logPosition(a)!, logPosition(b)!) || (a.node === leader.node ? 1 : b.node === leader.node ? -1 : 0));
    for (const [i, v] of victims.entries()) {
      const stillDown = victims.slice(i + 1);
      alive.add(v.node);
      await cutOffTheDown(alive, stillDown);
      const answered = await this.restart(info, v.node);
      if (!answered) {
        story.push(`${v.node} restarted but not answering`);
        continue;
      }
      if (alive.size < majority(info.nodes.length)) {
        story.push(`${v.node} back`);
        continue;
      }
      const won = await this.waitFor(info, (all) => newLeaderAmong(all, alive, oldTerm));
      if (!won.found) {
        story.push(`${v.node} back, no leader within ${won.ms} ms`);
        continue;
      }
      const winner = won.found;
      const winnerWas = positionAtKill(winner.node);
      // The members still down whose logs are at least as up to date as the winner's was at the kill.
      const fresher = winnerWas ? stillDown.filter((d) => compareLogs(logPosition(d)!, winnerWas) >= 0).map((d) => d.node) : [];
      story.push(`${v.node} back, ${winner.node} leads term ${winner.term}${stillDown.length ? ` while ${stillDown.map((d) => d.node).join(' ')} still down` : ''}`);
      if (fresher.length && !staleWin) staleWin = { leader: winner.node, fresher };
      // No pause once everyone is back.
      if (!stillDown.length) break;
    }

    const description = `killed ${victims.map((v) => v.node).join(' ')} (the most up-to-date logs), restarted least up to date first`;
    const measured = {
      leaderAtStart: leader.node,
      killed: victimNodes,
      restartOrder: victims.map((v) => v.node),
      survivors,
      logsAtKill: logs,
      lagMs: lag.found ? lag.ms : null,
      ...(staleWin ? { staleLeader: staleWin.leader, fresherDown: staleWin.fresher } : {}),
    };
    return {
      effect: staleWin ? 'took-effect' : 'unverified',
      nodes: victims.map((v) => v.node),
      description,
      summary:
        `logs at the kill: ${ordered.map((s) => `${s.node} ${logs[s.node]}`).join(', ')}; killed ${victims.map((v) => v.node).join(' ')}; ${story.join('; ')}` +
        (staleWin ? `: ${staleWin.leader} won while ${staleWin.fresher.join(' ')} with logs at least as up to date were down` : '; no election among stale logs was seen'),
      measured,
      steps: 2,
    };
  }
}
