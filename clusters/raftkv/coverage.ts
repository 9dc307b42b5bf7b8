// Coverage of a raftkv run from its nodes' logs. The server writes one line
// per interesting Raft event, at the place it happens in the core
// (raftkv/raft/events.ts):
//   2026-12-04T19:11:47.954Z n1 coverage {"event":"log-truncated","term":3,"index":7,"removed":3,"leader":"n2"}
// Pure: text in, counts out.
import { countEvent, coverageOfNodes, isCoverageEvent, type Coverage, type CoverageCounts, type CoverageEvent } from '../../history/index.ts';
import type { RaftEventName } from '../../raftkv/index.ts';

// raftkv reports every event faultline counts, under the same names (so it has no unsupported
// events): the compiler holds the two lists to that, both ways.
type OnlyOneSide = Exclude<CoverageEvent, RaftEventName> | Exclude<RaftEventName, CoverageEvent>;
const SAME_EVENTS: [OnlyOneSide] extends [never] ? true : false = true;

const SOURCE = 'raftkv node logs (coverage lines)';
const EVENT_LINE = / coverage (\{.*)$/;

/** One node's log: every `coverage {...}` line counted by its event. */
export function coverageFromRaftkvLog(text: string): Coverage {
  const events: CoverageCounts = {};
  const unknown = new Set<string>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    const json = EVENT_LINE.exec(line)?.[1];
    if (json === undefined) continue;
    let event: unknown;
    try {
      event = (JSON.parse(json) as { event?: unknown }).event;
    } catch {
      unreadable++;
      continue;
    }
    if (isCoverageEvent(event)) countEvent(events, event);
    else unknown.add(String(event));
  }
  const notes = [
    ...(unreadable ? [`${unreadable} coverage line(s) were not JSON (cut off by a kill?)`] : []),
    ...[...unknown].map((name) => `unknown event ${JSON.stringify(name)} skipped (a newer server?)`),
  ];
  return { events, source: SOURCE, unsupported: [], notes };
}

/** The run's coverage: each node's log (node name -> text) counted and summed. */
export function raftkvCoverage(logs: ReadonlyMap<string, string>): Coverage {
  return coverageOfNodes(logs, coverageFromRaftkvLog);
}
