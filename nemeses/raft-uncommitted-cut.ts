// uncommitted-cut: cut the leader off while it holds entries it appended
// and did not commit, some of which its followers may already have: the new
// leader then inherits an uncommitted tail of an older term, the window of
// commit-rule bugs (committing earlier-term entries by counting replicas,
// followers committing beyond what a leader confirmed).
//
// A docker exec takes longer than a commit round trip, so cutting "the
// moment last > commit is seen" would land after the tail committed. The
// cut comes in two steps instead:
//   1. the leader stops hearing its followers (its appends still reach
//      them, their acknowledgements do not come back): from here on nothing
//      it appends can commit on it;
//   2. the moment its last log index is seen above its commit index (the
//      next client write), the followers stop hearing it too: it is cut off
//      from everyone, holding that tail.
// took-effect when, read again once cut off, its commit index is still below
// the last index it had before: those entries were appended, possibly sent,
// never committed by it. stop flushes the partition. Evidence: the leader's
// last and commit index, and which followers hold part of the tail.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { FaultSpec } from './fault.ts';
import { isolate } from './grudge.ts';
import { RaftScenario, type ScenarioOutcome } from './raft-scenario.ts';
import { uncommittedTail } from './raft-state.ts';

export class UncommittedCutFault extends RaftScenario {
  readonly kind = 'uncommitted-cut';

  protected async play(_spec: FaultSpec, info: DockerClusterInfo): Promise<ScenarioOutcome | string> {
    const leader = (await this.withLeader(info))?.leader;
    if (!leader) return 'no leader to cut off';
    const a = leader.node;
    const followers = info.nodes.filter((n) => n !== a);
    const nodes = [a];

    // 1. Deaf leader: it drops whatever its followers send.
    await this.partition(info, { [a]: followers });
    const seen = await this.waitFor(info, (all) => {
      const s = all.find((m) => m.node === a);
      if (!s?.up || !s.leader) return 'stepped down' as const;
      return uncommittedTail(s) > 0 ? s : undefined;
    });
    if (seen.found === undefined || seen.found === 'stepped down') {
      // Cut it off anyway, so the fault is the partition it claims to be until stop.
      await this.partition(info, isolate(info.nodes, a));
      const why = seen.found ? `${a} stopped leading (or answering) first` : `no write reached ${a} within ${seen.ms} ms`;
      return { effect: 'unverified', nodes, description: `${a} (leader) cut off`, summary: `${a} never showed an uncommitted tail (${why}); cut off with none` };
    }
    const at = seen.found;
    // 2. Cut off both ways, holding the tail.
    await this.partition(info, isolate(info.nodes, a));
    // Looked at again once cut off: acknowledgements already in its socket buffers may have committed part of the tail meanwhile.
    const after = await this.statuses(info);
    const now = after.find((s) => s.node === a);
    // Entries it appended before the full cut and has still not committed (later client writes do not count).
    const held = now?.up && now.commitIndex !== undefined ? Math.max(0, at.lastLogIndex! - now.commitIndex) : 0;
    const commit = now?.commitIndex ?? at.commitIndex!;
    const holders = after.filter((s) => s.node !== a && s.up && (s.lastLogIndex ?? 0) > commit).map((s) => s.node);
    const seenAt = `${a} had last index ${at.lastLogIndex} > commit index ${at.commitIndex} after it stopped hearing its followers (${seen.ms} ms)`;
    const measured = {
      leader: a,
      term: at.term ?? null,
      atTrigger: { lastLogIndex: at.lastLogIndex!, commitIndex: at.commitIndex! },
      lastLogIndex: now?.lastLogIndex ?? null,
      commitIndex: now?.commitIndex ?? null,
      uncommitted: held,
      followersHoldingTail: holders,
      followerLogs: Object.fromEntries(after.filter((s) => s.node !== a).map((s) => [s.node, s.lastLogIndex ?? null])),
      waitMs: seen.ms,
    };
    if (held === 0) {
      const why = now?.up ? `its commit index reached ${now.commitIndex ?? '?'} before the cut landed` : 'it did not answer after the cut';
      return { effect: 'unverified', nodes, description: `${a} (leader, term ${at.term}) cut off`, summary: `${seenAt}; cut off from everyone, but ${why}`, measured };
    }
    return {
      effect: 'took-effect',
      nodes,
      description: `${a} (leader, term ${at.term}) cut off holding uncommitted entries ${commit + 1}..${at.lastLogIndex}`,
      summary:
        `${seenAt}; cut off from everyone, its commit index still ${commit} (last index now ${now!.lastLogIndex ?? '?'}); ` +
        (holders.length ? `${holders.join(' ')} hold part of the tail` : 'no follower is seen holding the tail'),
      measured,
    };
  }
}
