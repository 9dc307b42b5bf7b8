// two-leaders: a moment in which two members both believe they lead, in
// different terms: the old leader, cut off with a minority, has not yet
// noticed, while the majority already elected a new one. Reads served by
// the old one then, or leases it trusts, are stale.
//
// Check-quorum steps a cut-off leader down within one or two election
// timeouts, about when the majority elects, so the overlap is a race. Each
// attempt:
//   1. cuts the leader off together with a minority (5 nodes: one other);
//      then polls until two members report leading in different terms;
//   2. or, every second attempt, also stalls the old leader's timers, so
//      its quorum check comes late, as on a VM starved of CPU:
//        - a DB under libfaketime (raftkv) gets its clock slowed tenfold
//          (its timers read the wall clock) until stop;
//        - any other is SIGSTOPped, alone on its side (a partner would
//          campaign meanwhile and depose it the moment it answers), until
//          the majority elected, then resumed: a Go ticker (etcd) drops the
//          ticks it missed, so it believes it leads until its next check.
// An attempt that sees the old leader step down first heals, lets the
// cluster settle and tries again with the new leader, while the budget
// lasts. Once seen, the partition stays until stop.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { FaultSpec } from './fault.ts';
import { complete, majority, shuffle } from './grudge.ts';
import { RaftScenario, STEP_BUDGET_MS, type ScenarioOutcome } from './raft-scenario.ts';
import { currentLeader, newLeaderAmong, twoLeaders } from './raft-state.ts';

const MAX_ATTEMPTS = 6;
/** How fast a stalled leader's clock runs: its quorum check comes ten times later (3-6 s on raftkv's defaults). */
const SLOW_RATE = 0.1;
type Stall = 'none' | 'slow clock' | 'pause';

export class TwoLeadersFault extends RaftScenario {
  readonly kind = 'two-leaders';

  protected async play(spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const random = new Random(spec.seed);
    const misses: string[] = [];
    const deadline = performance.now() + 4 * STEP_BUDGET_MS;
    let cut: string[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && performance.now() < deadline; attempt++) {
      // A leader all up members follow: after a retry's heal, the cluster must settle first.
      const settled = await this.waitFor(info, (all) => {
        const l = currentLeader(all);
        return l && all.every((s) => !s.up || s.term === l.term) ? l : undefined;
      });
      const leader = settled.found;
      if (!leader) return misses.length ? this.missed(cut, misses, attempt - 1) : 'no leader to cut off';
      const stall: Stall = attempt % 2 === 1 ? 'none' : info.db.supportsClockFaults ? 'slow clock' : 'pause';
      const paused = stall === 'pause';
      const partners = paused ? 0 : info.nodes.length - majority(info.nodes.length) - 1;
      const minority = [leader.node, ...shuffle(info.nodes.filter((n) => n !== leader.node), random).slice(0, partners)];
      const rest = info.nodes.filter((n) => !minority.includes(n));
      cut = minority;

      const slow = stall === 'slow clock' ? await this.slowClock(info, leader.node, SLOW_RATE) : undefined;
      await this.partition(info, complete([minority, rest]));
      await slow?.();
      if (paused) {
        await this.pause(info, leader.node);
        const elected = await this.waitFor(info, (all) => newLeaderAmong(all, rest, leader.term ?? 0));
        await this.resume(info, leader.node);
        if (!elected.found) {
          misses.push(`${leader.node} paused, but ${rest.join(' ')} elected nobody within ${elected.ms} ms`);
          await this.heal(info);
          continue;
        }
      }
      const seen = await this.waitFor(info, (all) => {
        const pair = twoLeaders(all);
        if (pair && pair[0].node === leader.node) return pair;
        const old = all.find((s) => s.node === leader.node);
        return old?.up && !old.leader ? ('stepped down' as const) : undefined;
      });
      if (seen.found !== undefined && seen.found !== 'stepped down') {
        const [old, fresh] = seen.found;
        const how = { none: 'cut off', pause: 'paused while the majority elected, resumed', 'slow clock': `cut off, its clock slowed to ${SLOW_RATE}x` }[stall];
        return {
          effect: 'took-effect',
          nodes: minority,
          description: `${minority.join(' ')} cut off from ${rest.join(' ')}: ${old.node} (term ${old.term}) and ${fresh.node} (term ${fresh.term}) both lead`,
          summary:
            `${old.node} (${how}) still led in term ${old.term} while ${fresh.node} led in term ${fresh.term}, seen ${seen.ms} ms later` +
            (misses.length ? ` (attempt ${attempt}; before: ${misses.join('; ')})` : ''),
          measured: { oldLeader: old.node, oldTerm: old.term ?? null, newLeader: fresh.node, newTerm: fresh.term ?? null, minority, stall, afterMs: seen.ms, attempts: attempt },
          steps: attempt,
        };
      }
      misses.push(`${leader.node}${stall === 'none' ? '' : ` (${stall})`} ${seen.found ? `stepped down after ${seen.ms} ms before it was seen leading beside another` : `not seen leading beside another within ${seen.ms} ms`}`);
      await this.heal(info);
    }
    return this.missed(cut, misses, misses.length);
  }

  private missed(cut: string[], misses: string[], attempts: number): ScenarioOutcome {
    return {
      effect: 'unverified',
      nodes: cut,
      description: `leader cut off with a minority, ${attempts} time(s), healed`,
      summary: `never two leaders at once: ${misses.join('; ')}`,
      measured: { attempts },
      steps: Math.max(1, attempts),
    };
  }
}
