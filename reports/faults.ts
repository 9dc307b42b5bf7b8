// Fault intervals from the nemesis ops: start-<fault> opens one, the next
// stop-<fault> of the same fault closes it (history/op.ts documents the pairing).
import type { FaultValue, Op } from '../history/index.ts';

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
  let pendingStop: FaultInterval | undefined;
  let lastTime = 0;

  for (const op of history) {
    if (op.time > lastTime) lastTime = op.time;
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      pendingStart = pendingStop = undefined;
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
        const interval = open.get(op.f.slice(STOP.length))?.shift();
        if (interval) {
          interval.end = op.time;
          interval.stopIndex = op.index;
          interval.healed = true;
          pendingStop = interval;
        }
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
      }
    } else if (pendingStop) {
      pendingStop.end = op.time;
    }
    pendingStart = pendingStop = undefined;
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
