// A fault schedule written down in advance: each fault's kind, its start op's
// value (variant, seed, magnitudes) and when it starts and stops, in seconds
// from the start of the run. Explore mode writes such schedules, mutates
// them and replays them; the random schedule (schedule.ts) draws the same
// values as it goes. One fault at a time: a fault starts only after the one
// before it stopped, which keeps every start paired with its stop.
import { EXHAUSTED, emit, seconds, waitUntil, type Generator, type Random } from '../generator/index.ts';
import { UserError } from '../history/index.ts';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './fault.ts';
import { faultSpec, VARIANTS, type ScheduleOptions } from './schedule.ts';
import type { FaultChoice } from './fault.ts';
import { isRaftKind } from './raft-kinds.ts';

export interface ScheduledFault {
  kind: FaultKind;
  spec: FaultSpec;
  /** Seconds from the run's start. */
  startS: number;
  /** How long it lasts, seconds. */
  forS: number;
}

/** The nemesis ops of a written schedule, each at its time (a start waits for the previous stop to complete). */
export function fixedSchedule(faults: readonly ScheduledFault[]): Generator {
  checkSchedule(faults);
  let i = 0;
  let started = false;
  return {
    next(ctx) {
      if (i >= faults.length) return EXHAUSTED;
      const f = faults[i];
      if (!started) {
        const at = seconds(f.startS);
        if (ctx.time < at) return waitUntil(at);
        started = true;
        return emit({ f: `start-${f.kind}`, value: f.spec });
      }
      const until = seconds(f.startS + f.forS);
      if (ctx.time < until) return waitUntil(until);
      started = false;
      i++;
      return emit({ f: `stop-${f.kind}`, value: null });
    },
  };
}

/** A schedule a user (or a file) handed over: known kinds and variants, times in order, no overlap. */
export function checkSchedule(faults: readonly ScheduledFault[]): void {
  let end = 0;
  faults.forEach((f, n) => {
    const where = `fault ${n + 1}`;
    if (!FAULT_KINDS.includes(f.kind)) throw new UserError(`${where}: unknown fault kind ${JSON.stringify(f.kind)}; known: ${FAULT_KINDS.join(', ')}`);
    if (!f.spec || !VARIANTS[f.kind].includes(f.spec.variant)) {
      throw new UserError(`${where}: ${f.kind} has no variant ${JSON.stringify(f.spec?.variant)}; known: ${VARIANTS[f.kind].join(', ')}`);
    }
    if (!Number.isInteger(f.spec.seed)) throw new UserError(`${where}: the fault's seed must be an integer`);
    if (!(Number.isFinite(f.startS) && f.startS >= 0)) throw new UserError(`${where}: start must be a number of seconds >= 0, got ${String(f.startS)}`);
    if (!(Number.isFinite(f.forS) && f.forS > 0)) throw new UserError(`${where}: length must be a positive number of seconds, got ${String(f.forS)}`);
    if (f.startS < end) throw new UserError(`${where} starts at ${f.startS} s, before the previous fault stops (${end} s): faults in a schedule do not overlap`);
    end = f.startS + f.forS;
  });
}

/** A kind of fault, and one of its variants when that is chosen too (explore's deck deals these). */
export interface FaultPick {
  kind: FaultKind;
  variant?: string;
}

/**
 * One fault of a random choice among `choices`, its magnitudes drawn as the
 * random schedule draws them. The kind is drawn first, then one of its
 * variants: every kind is as likely as another, so six partition shapes do
 * not crowd out a scripted scenario that has one. `dealt`: the kind (and
 * maybe the variant), when the caller deals them itself (explore's deck).
 */
export function drawFault(choices: readonly FaultChoice[], random: Random, opts: ScheduleOptions, startS: number, forS: number, dealt?: FaultPick): ScheduledFault {
  const kind = dealt?.kind ?? random.pick(faultKindsOf(choices));
  const same = choices.filter((c) => c.kind === kind && (dealt?.variant === undefined || c.variant === dealt.variant));
  if (same.length === 0) throw new Error(`no fault choice ${kind}${dealt?.variant ? `-${dealt.variant}` : ''} to draw`);
  const choice = random.pick(same);
  return { kind: choice.kind, spec: faultSpec(choice, random, opts), startS, forS };
}

/** The distinct kinds among `choices`, in their order. */
export const faultKindsOf = (choices: readonly FaultChoice[]): FaultKind[] => [...new Set(choices.map((c) => c.kind))];

/**
 * What explore deals, each once before any twice: every Raft-aware variant
 * on its own (each is a script of its own, a different story of the
 * cluster), every other kind whole (its variants are shapes and targets of
 * one mechanism, drawn when the kind comes up).
 */
export function faultPicksOf(choices: readonly FaultChoice[]): FaultPick[] {
  const picks = new Map<string, FaultPick>();
  for (const c of choices) {
    if (isRaftKind(c.kind)) picks.set(`${c.kind}-${c.variant}`, { kind: c.kind, variant: c.variant });
    else if (!picks.has(c.kind)) picks.set(c.kind, { kind: c.kind });
  }
  return [...picks.values()];
}
