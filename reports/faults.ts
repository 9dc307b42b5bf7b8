// Fault intervals from the nemesis ops: start-<fault> opens one, the next
// stop-<fault> of the same fault closes it (history/op.ts documents the pairing).
// Each carries whether it took effect and the evidence (nemeses/ gather it,
// checkers/faults.ts judges it the same way), so a fault that did nothing is
// never drawn as one that happened.
import type { FaultEffect, FaultEvidence, FaultValue, Op } from '../history/index.ts';
import { effectAfterHeal, effectOf } from '../checkers/index.ts';

export interface FaultInterval {
  /** 'partition' | 'kill' | 'pause' | ... (the f without start-/stop-). */
  fault: string;
  /** When the fault took effect (the start op's completion, else its invoke), ns. */
  start: number;
  /** When it was healed (the stop op's completion), or the history's end if never healed. */
  end: number;
  /** False when the history ended with the fault still active. */
  healed: boolean;
  nodes: string[];
  description?: string;
  /** History indexes of the ops that opened and closed it (-1: none). */
  startIndex: number;
  stopIndex: number;
  /** Whether it was seen in force; absent for histories recorded before faults were checked (and for a start still running). */
  effect?: FaultEffect;
  /** True when the start ended info: nobody knows what it applied. */
  uncertain?: boolean;
  evidence?: FaultEvidence;
  /** How the heal went, and what it saw. */
  heal?: { effect?: FaultEffect; evidence?: FaultEvidence };
}

/** A nemesis op outside the start-/stop- convention: drawn as a marker, not a band. */
export interface FaultEvent {
  time: number;
  f: string;
  nodes: string[];
  description?: string;
  index: number;
}

export interface Faults {
  intervals: FaultInterval[];
  events: FaultEvent[];
}

const START = 'start-';
const STOP = 'stop-';

export function faultIntervals(history: Iterable<Op>, endTime?: number): Faults {
  const intervals: FaultInterval[] = [];
  const events: FaultEvent[] = [];
  // Per fault name, the intervals opened and not yet closed (FIFO).
  const open = new Map<string, FaultInterval[]>();
  // Per nemesis op in flight, what its completion should update.
  let pendingStart: FaultInterval | undefined;
  let pendingStop: FaultInterval[] = [];
  let lastTime = 0;

  for (const op of history) {
    if (op.time > lastTime) lastTime = op.time;
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      pendingStart = undefined;
      pendingStop = [];
      if (op.f.startsWith(START)) {
        const fault = op.f.slice(START.length);
        const interval: FaultInterval = {
          fault,
          start: op.time,
          end: Number.NaN,
          healed: false,
          startIndex: op.index,
          stopIndex: -1,
          ...describe(op.value),
        };
        intervals.push(interval);
        const queue = open.get(fault) ?? [];
        queue.push(interval);
        open.set(fault, queue);
        pendingStart = interval;
      } else if (op.f.startsWith(STOP)) {
        // stop-all (the run's final heal) closes every fault still open.
        const closing = op.f === 'stop-all' ? [...open.values()].flatMap((q) => q.splice(0)) : (open.get(op.f.slice(STOP.length))?.splice(0, 1) ?? []);
        for (const interval of closing) {
          interval.end = op.time;
          interval.stopIndex = op.index;
          interval.healed = true;
        }
        pendingStop = closing;
      } else {
        events.push({ time: op.time, f: op.f, index: op.index, ...describe(op.value) });
      }
      continue;
    }
    // A completion: the start's completion says what was hit and when it took effect.
    if (pendingStart) {
      pendingStart.start = op.time;
      const described = describe(op.value);
      if (described.nodes.length > 0 || described.description) Object.assign(pendingStart, described);
      if (op.type === 'fail') {
        // A start that definitely failed injected nothing.
        intervals.splice(intervals.indexOf(pendingStart), 1);
        open.get(pendingStart.fault)?.splice(open.get(pendingStart.fault)!.indexOf(pendingStart), 1);
      } else {
        const v = op.value as Partial<FaultValue> | null;
        if (v?.effect || op.type === 'info') pendingStart.effect = effectOf(op);
        if (op.type === 'info') pendingStart.uncertain = true;
        if (v?.evidence) pendingStart.evidence = v.evidence;
        else if (op.error) pendingStart.evidence = { summary: op.error };
      }
    } else {
      const v = op.value as Partial<FaultValue> | null;
      for (const interval of pendingStop) {
        interval.end = op.time;
        if (v?.effect || v?.evidence) interval.heal = { ...(v.effect ? { effect: v.effect } : {}), ...(v.evidence ? { evidence: v.evidence } : {}) };
        if (interval.effect) interval.effect = effectAfterHeal(interval.effect, op);
      }
    }
    pendingStart = undefined;
    pendingStop = [];
  }
  const horizon = Math.max(endTime ?? 0, lastTime);
  for (const interval of intervals) if (Number.isNaN(interval.end)) interval.end = horizon;
  return { intervals, events };
}

function describe(value: unknown): { nodes: string[]; description?: string } {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? { nodes: [], description: value } : { nodes: [] };
  }
  if (Array.isArray(value)) return { nodes: value.filter((n): n is string => typeof n === 'string') };
  const v = value as Partial<FaultValue>;
  const nodes = Array.isArray(v.nodes) ? v.nodes.map(String) : [];
  return typeof v.description === 'string' ? { nodes, description: v.description } : { nodes };
}
