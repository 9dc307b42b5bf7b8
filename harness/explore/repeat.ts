// Timing jitter: a found schedule reproduces at a rate, not always, because
// the window it hit (an election 40 ms slower, a write a heartbeat later)
// opens a little differently on every run. Playing the same faults again
// later in the same run gives the window more chances: a schedule that
// reproduces with probability p per play, played k times, reproduces with
// about 1 - (1 - p)^k (each play starts from the cluster the previous
// play's stop healed, so plays are close to independent).
import type { ScheduledFault } from '../../nemeses/index.ts';

/** `faults` played `times` times back to back, each play as long as the original run (`runS`). */
export function repeatSchedule(faults: readonly ScheduledFault[], times: number, runS: number): { faults: ScheduledFault[]; runS: number } {
  if (!(Number.isInteger(times) && times >= 1)) throw new Error(`repeatSchedule: times must be a whole number >= 1, got ${times}`);
  const plays = Array.from({ length: times }, (_, play) =>
    faults.map((f) => ({ ...f, spec: { ...f.spec }, startS: Math.round((f.startS + play * runS) * 10) / 10 })),
  );
  return { faults: plays.flat(), runS: runS * times };
}
