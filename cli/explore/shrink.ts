// Shrink a schedule that found a bug: the fewest faults (delta debugging
// over the schedule), each as short as it can be, and the shortest run,
// while the run still comes out invalid. Each try is a real run with the
// same seed; a try that does not reproduce by chance (timing jitter) only
// keeps more than needed, never less. The last invalid run is the one the
// report shows: the smallest story found within the budget.
import { ddmin, type ScheduleFile } from '../../harness/explore/index.ts';
import type { ScheduledFault } from '../../nemeses/index.ts';
import type { RunOutcome } from '../../harness/run/index.ts';
import { errorText } from '../../history/index.ts';
import { runSchedule, scheduleTestArgs } from './run-schedule.ts';
import { withoutOptions } from '../commands/test.ts';

export interface ShrinkOptions {
  store: string;
  budgetS: number;
  log: (line: string) => void;
}

export interface ShrinkOutcome {
  schedule: ScheduleFile;
  /** The last run that was still invalid (undefined: no try reproduced it). */
  outcome?: RunOutcome;
  tries: number;
  /** false: the budget ran out first. */
  minimal: boolean;
}

/** Seconds of quiet after the last fault, so the run loop can still see what it broke. */
const AFTER_LAST_FAULT_S = 2;

export async function shrinkSchedule(found: ScheduleFile, o: ShrinkOptions): Promise<ShrinkOutcome> {
  const started = performance.now();
  const left = () => o.budgetS - (performance.now() - started) / 1000;
  const timeLimit = scheduleTestArgs(found).timeLimit;
  let faults = found.faults;
  let limit = timeLimit;
  let tries = 0;
  let outOfBudget = false;
  let last: RunOutcome | undefined;

  /** One try: does this schedule still give an invalid run? */
  const fails = async (candidate: ScheduledFault[], candidateLimit = limit): Promise<boolean> => {
    if (left() <= 0) {
      outOfBudget = true;
      return false;
    }
    tries++;
    try {
      const out = await runSchedule({ test: found.test, faults: candidate }, { store: o.store, override: ['--time-limit', String(candidateLimit)], source: 'shrink' });
      const invalid = out.results.valid === false;
      o.log(`shrink try ${tries}: ${candidate.length} fault(s), ${candidateLimit} s -> ${invalid ? 'still INVALID' : 'not reproduced'}`);
      if (invalid) last = out;
      return invalid;
    } catch (e) {
      o.log(`shrink try ${tries}: error ${errorText(e)} (counted as not reproduced)`);
      return false;
    }
  };

  // 1. Fewer faults.
  const dd = await ddmin(faults, (subset) => fails(subset));
  faults = dd.items;
  // 2. Each fault shorter (half as long, while it still fails).
  for (let i = 0; i < faults.length && !outOfBudget; i++) {
    const shorter = faults.map((f, j) => (j === i ? { ...f, forS: Math.max(0.5, Math.round(f.forS * 5) / 10) } : f));
    if (shorter[i].forS < faults[i].forS && (await fails(shorter))) faults = shorter;
  }
  // 3. A shorter run: it ends a little after the last fault stops.
  const end = faults.length ? faults[faults.length - 1].startS + faults[faults.length - 1].forS : 0;
  const cut = Math.ceil(end + AFTER_LAST_FAULT_S);
  if (!outOfBudget && cut < limit && (await fails(faults, cut))) limit = cut;

  const test = limit === timeLimit ? found.test : [...withoutOptions(found.test, ['time-limit']), '--time-limit', String(limit)];
  const schedule: ScheduleFile = {
    ...found,
    test,
    faults,
    ...(last ? { found: { ...found.found!, run: last.dir } } : {}),
    shrunk: { fromFaults: found.faults.length, fromTimeLimitS: timeLimit, tries, minimal: dd.minimal && !outOfBudget },
  };
  return { schedule, outcome: last, tries, minimal: dd.minimal && !outOfBudget };
}
