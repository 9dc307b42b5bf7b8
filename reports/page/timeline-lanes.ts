// The timeline's lanes: one per worker, each a list of op ids in start order.
import type { OpColumns } from './op-columns.ts';

export interface Lane {
  /** The first process of the lane (-1: the nemesis). */
  process: number;
  /** "p3", or "p3 +2" when two later processes took over the lane. */
  label: string;
  /** Every process of the lane, spelled out. */
  title: string;
  processes: Set<number>;
  /** Op ids in start order. */
  ids: Int32Array;
}

/** The lanes of the run: the nemesis first, then one per worker. */
export function timelineLanes(c: OpColumns): Lane[] {
  // Each process's ops, in start order (ids are in invoke order already).
  const byProcess = new Map<number, number[]>();
  for (let i = 0; i < c.n; i++) {
    let list = byProcess.get(c.process[i]);
    if (!list) byProcess.set(c.process[i], (list = []));
    list.push(i);
  }
  return packLanes(c, byProcess);
}

/**
 * One lane per process, except that a process retired after an info op
 * hands its lane to the process that replaced it (the same worker): a
 * process only ever starts after the previous one of its lane has finished,
 * so lanes stay sequential, and a million-op run with thousands of retired
 * processes still has one lane per worker instead of a staircase.
 */
function packLanes(c: OpColumns, byProcess: Map<number, number[]>): Lane[] {
  const nemesis = byProcess.get(-1);
  byProcess.delete(-1);
  const processes = [...byProcess.entries()].sort((a, b) => c.start[a[1][0]] - c.start[b[1][0]] || a[0] - b[0]);
  const packed: Array<{ processes: number[]; parts: number[][]; busyUntil: number }> = [];
  for (const [process, ids] of processes) {
    const first = c.start[ids[0]];
    // The lane freed most recently before this process began: its predecessor on the same worker.
    let best: (typeof packed)[number] | null = null;
    for (const lane of packed) if (lane.busyUntil <= first && (!best || lane.busyUntil > best.busyUntil)) best = lane;
    if (!best) packed.push((best = { processes: [], parts: [], busyUntil: -Infinity }));
    best.processes.push(process);
    best.parts.push(ids);
    best.busyUntil = c.end[ids[ids.length - 1]];
  }
  packed.sort((a, b) => a.processes[0] - b.processes[0]);
  const result: Lane[] = packed.map((lane) => ({
    process: lane.processes[0],
    label: 'p' + lane.processes[0] + (lane.processes.length > 1 ? ' +' + (lane.processes.length - 1) : ''),
    title: lane.processes.map((p) => 'p' + p).join(' '),
    processes: new Set(lane.processes),
    ids: Int32Array.from(lane.parts.flat()),
  }));
  if (nemesis) result.unshift({ process: -1, label: 'nemesis', title: 'nemesis', processes: new Set([-1]), ids: Int32Array.from(nemesis) });
  return result;
}
