// New fault schedules from old ones, for explore mode: pure and seeded.
// A fresh schedule scatters a few faults over the run; a mutation changes
// one thing about a kept schedule: which nodes a fault picks (its seed),
// when it starts, how long it lasts, which fault it is, an extra fault or
// one fewer, two faults' order, or the first part of one schedule joined to
// the rest of another (splice). Every result goes through `normalize`, so
// it is a valid schedule: in order, inside the run, no two faults at once.
import { drawFault, type FaultChoice, type FaultPick, type ScheduleOptions, type ScheduledFault } from '../../nemeses/index.ts';
import type { Random } from '../../generator/index.ts';

export interface ScheduleSpace {
  /** The faults explore may use. */
  choices: readonly FaultChoice[];
  /** Magnitudes (loss probability, clock jumps...) as the random schedule draws them. */
  options: ScheduleOptions;
  /** The run's main phase, seconds: every fault starts and stops inside it. */
  runS: number;
}

export const MUTATIONS = ['retarget', 'retime', 'stretch', 'replace', 'insert', 'delete', 'swap', 'splice'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Quiet at the start (a leader is elected, clients connect) and at the end (the run loop heals and reads). */
const LEAD_S = 1;
const TAIL_S = 0.5;
/** Between one fault's stop and the next start. */
const GAP_S = 0.3;
const MIN_FAULT_S = 0.5;
/** Random extra quiet before the first fault and after each: up to 2 s, and up to 0.5 s in a filled schedule. */
const JITTER_S = 2;
const FILL_JITTER_S = 0.5;

const round = (s: number) => Math.round(s * 10) / 10;

/** The latest start at which a fault still fits before the run's quiet tail (normalize drops one that starts later). */
const lastStart = (runS: number) => runS - TAIL_S - MIN_FAULT_S;

/** Where a new fault's kind (and maybe variant) comes from: a deck (deck.ts) that deals each before any twice; else drawn at random. */
export type DealKind = () => FaultPick;

/**
 * A few faults at random times: 1 to 4, lengths 1-4 s, as many as fit;
 * with `fill`, as many as fit, close together (explore's first pass: each pick dealt in as few runs as can hold them).
 */
export function randomSchedule(space: ScheduleSpace, random: Random, deal?: DealKind, o: { fill?: boolean } = {}): ScheduledFault[] {
  const count = o.fill ? Infinity : random.between(1, 4);
  // Filled, faults follow each other closely: the quiet between them is time no fault is tried in.
  const jitterS = o.fill ? FILL_JITTER_S : JITTER_S;
  const faults: ScheduledFault[] = [];
  let t = LEAD_S + random.float() * jitterS;
  for (let i = 0; i < count; i++) {
    const forS = 1 + random.float() * 3;
    // One that would not fit is not drawn: a dealt kind must be played, not dropped by normalize.
    if (round(t) > lastStart(space.runS)) break;
    faults.push(drawFault(space.choices, random, space.options, round(t), round(forS), deal?.()));
    t += forS + GAP_S + random.float() * jitterS;
  }
  return normalize(faults, space.runS);
}

/** One mutation of `faults` (`other`: a second kept schedule, for splice). */
export function mutate(faults: readonly ScheduledFault[], other: readonly ScheduledFault[], space: ScheduleSpace, random: Random, deal?: DealKind): { faults: ScheduledFault[]; mutation: Mutation } {
  // A run without faults tells explore nothing new: never delete the last one.
  const possible = MUTATIONS.filter((m) => faults.length > 0 || m === 'insert' || m === 'splice').filter((m) => (m !== 'swap' && m !== 'delete') || faults.length >= 2);
  const mutation = random.pick(possible);
  const out = faults.map((f) => ({ ...f, spec: { ...f.spec } }));
  const i = random.int(Math.max(out.length, 1));
  switch (mutation) {
    case 'retarget':
      out[i].spec.seed = random.uint32();
      break;
    case 'retime':
      out[i].startS = round(Math.max(LEAD_S, out[i].startS + (random.float() * 4 - 2)));
      break;
    case 'stretch':
      out[i].forS = round(Math.max(MIN_FAULT_S, out[i].forS * (0.4 + random.float() * 1.6)));
      break;
    case 'replace':
      out[i] = drawFault(space.choices, random, space.options, out[i].startS, out[i].forS, deal?.());
      break;
    case 'insert':
      out.push(drawFault(space.choices, random, space.options, round(LEAD_S + random.float() * (lastStart(space.runS) - LEAD_S)), round(1 + random.float() * 3), deal?.()));
      break;
    case 'delete':
      out.splice(i, 1);
      break;
    case 'swap': {
      const j = (i + 1 + random.int(out.length - 1)) % out.length;
      const [a, b] = [out[i], out[j]];
      out[i] = { ...b, startS: a.startS, forS: a.forS };
      out[j] = { ...a, startS: b.startS, forS: b.forS };
      break;
    }
    case 'splice': {
      const cut = round(LEAD_S + random.float() * (space.runS - LEAD_S));
      const joined = [...out.filter((f) => f.startS < cut), ...other.filter((f) => f.startS >= cut).map((f) => ({ ...f, spec: { ...f.spec } }))];
      return { faults: normalize(joined, space.runS), mutation };
    }
  }
  return { faults: normalize(out, space.runS), mutation };
}

/** In start order, each after the previous one's stop plus a gap, all inside (LEAD_S, runS - TAIL_S); what does not fit is dropped. */
export function normalize(faults: readonly ScheduledFault[], runS: number): ScheduledFault[] {
  const sorted = [...faults].sort((a, b) => a.startS - b.startS);
  const out: ScheduledFault[] = [];
  let free = LEAD_S;
  for (const f of sorted) {
    const startS = round(Math.max(f.startS, free));
    const forS = round(Math.min(Math.max(f.forS, MIN_FAULT_S), runS - TAIL_S - startS));
    if (forS < MIN_FAULT_S) continue;
    out.push({ ...f, startS, forS });
    free = startS + forS + GAP_S;
  }
  return out;
}
