// Coverage of a raftkv run from its nodes' logs. The server writes one line
// per interesting Raft event, at the place it happens in the core
// (raftkv/raft/events.ts):
//   2026-12-04T19:11:47.954Z n1 coverage {"event":"log-truncated","term":3,"index":7,"removed":3,"leader":"n2"}
// Pure: text in, counts (coverage) or observations (the Raft trace) out.
import { countEvent, coverageOfNodes, isCoverageEvent, traceOfNodes, type Coverage, type CoverageCounts, type CoverageEvent, type RaftObservation, type RaftTrace } from '../../history/index.ts';
import { mutantActsOfLog, type MutantName, type RaftEventName } from '../../raftkv/index.ts';

// raftkv reports every event faultline counts, under the same names (so it has no unsupported
// events): the compiler holds the two lists to that, both ways.
type OnlyOneSide = Exclude<CoverageEvent, RaftEventName> | Exclude<RaftEventName, CoverageEvent>;
const SAME_EVENTS: [OnlyOneSide] extends [never] ? true : false = true;

const SOURCE = 'raftkv node logs (coverage lines)';
const EVENT_LINE = / coverage (\{.*)$/;

/** One node's log as the events it wrote, in order, with their line numbers; lines cut off by a kill and unknown names counted apart. */
type LoggedEvent = Record<string, unknown> & { event: CoverageEvent; line: number };

function eventsOf(text: string): { events: LoggedEvent[]; unreadable: number; unknown: Set<string> } {
  const events: LoggedEvent[] = [];
  const unknown = new Set<string>();
  let unreadable = 0;
  for (const [n, line] of text.split('\n').entries()) {
    const json = EVENT_LINE.exec(line)?.[1];
    if (json === undefined) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(json) as Record<string, unknown>;
    } catch {
      unreadable++;
      continue;
    }
    if (isCoverageEvent(e.event)) events.push({ ...e, event: e.event, line: n });
    else unknown.add(String(e.event));
  }
  return { events, unreadable, unknown };
}

function readNotes(unreadable: number, unknown: ReadonlySet<string>): string[] {
  return [
    ...(unreadable ? [`${unreadable} coverage line(s) were not JSON (cut off by a kill?)`] : []),
    ...[...unknown].map((name) => `unknown event ${JSON.stringify(name)} skipped (a newer server?)`),
  ];
}

/** One node's log: every `coverage {...}` line counted by its event. */
export function coverageFromRaftkvLog(text: string): Coverage {
  const { events: seen, unreadable, unknown } = eventsOf(text);
  const events: CoverageCounts = {};
  for (const e of seen) countEvent(events, e.event);
  return { events, source: SOURCE, unsupported: [], notes: readNotes(unreadable, unknown) };
}

/**
 * The run's coverage: each node's log (node name -> text) counted and summed.
 * A run with a planted bug of the mutation suite also gets a note of how
 * often it acted (raftkv/mutants.ts MutantAct), so its report tells "never
 * reached" from "reached and not caught"; explore reads the events only.
 */
export function raftkvCoverage(logs: ReadonlyMap<string, string>): Coverage {
  const coverage = coverageOfNodes(logs, coverageFromRaftkvLog);
  const acts = mutantActsOfLogs(logs);
  const notes = [...acts].map(([mutant, n]) => `planted bug ${mutant} (mutation suite) acted ${n} time(s), counted once per node and term`);
  return notes.length ? { ...coverage, notes: [...coverage.notes, ...notes] } : coverage;
}

/** Acts per planted bug over every node's log (node name -> text). */
export function mutantActsOfLogs(logs: ReadonlyMap<string, string>): Map<MutantName, number> {
  const total = new Map<MutantName, number>();
  for (const text of logs.values()) for (const [m, n] of mutantActsOfLog(text)) total.set(m, (total.get(m) ?? 0) + n);
  return total;
}

const APPLIED_LINE = / applied (\{.*)$/;

/** An `applied {...}` line (raftkv/raft/applied.ts), or undefined when the line is another or cut off. */
function appliedOf(node: string, line: string): RaftObservation | undefined {
  const json = APPLIED_LINE.exec(line)?.[1];
  if (json === undefined) return undefined;
  try {
    const v = JSON.parse(json) as { from?: unknown; entries?: unknown };
    if (!Number.isInteger(v.from) || !Array.isArray(v.entries) || !v.entries.every((id) => typeof id === 'string')) return undefined;
    return { node, what: 'applied', from: v.from as number, entries: v.entries as string[] };
  } catch {
    return undefined;
  }
}

/**
 * One node's log as Raft observations (checkers/raft-protocol.ts), in log
 * order: every coverage event with the node's term, and the entries it applied.
 */
export function raftkvTraceOfLog(node: string, text: string): RaftTrace {
  const { events, unreadable, unknown } = eventsOf(text);
  const observations: RaftObservation[] = [];
  const applied = text.split('\n').map((l) => appliedOf(node, l));
  let line = 0;
  const appliedUpTo = (eventLine: number) => {
    for (; line < eventLine; line++) if (applied[line]) observations.push(applied[line]!);
  };
  for (const e of events) {
    appliedUpTo(e.line);
    const term = Number(e.term);
    if (!Number.isFinite(term)) continue;
    if (e.event === 'leader-elected') observations.push({ node, what: 'leader', term });
    else if (e.event === 'vote-granted' && typeof e.candidate === 'string') observations.push({ node, what: 'vote', term, candidate: e.candidate });
    else if (e.event === 'restart-recovered') observations.push({ node, what: 'restart', term });
    else if (e.event === 'log-truncated' && typeof e.index === 'number') {
      observations.push({ node, what: 'truncate', term, index: e.index, ...(typeof e.commit === 'number' ? { commit: e.commit } : {}) });
    } else observations.push({ node, what: 'term', term });
  }
  appliedUpTo(applied.length);
  return { source: SOURCE, observations, unsupported: {}, notes: readNotes(unreadable, unknown) };
}

/** The run's Raft trace: every node's observations, node by node. */
export function raftkvTrace(logs: ReadonlyMap<string, string>): RaftTrace {
  return traceOfNodes(logs, raftkvTraceOfLog);
}
