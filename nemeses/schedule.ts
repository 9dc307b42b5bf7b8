// Which faults a --nemesis list names, and when they happen: a pure, seeded
// generator (harness/generator) for the 'nemesis' worker. Each round is
//   quiet for intervalS -> start-<kind> -> fault for faultS -> stop-<kind>
// with the kind and its variant drawn at random from the list, so faults
// never overlap and every start is followed by its stop. With `overlap`,
// each fault kind runs such rounds on a timeline of its own (quiet periods
// vary, so the timelines drift), and a partition and a clock jump, say,
// coincide: the combinations that break leases and clock-based reasoning. The run loop
// heals whatever is still open when the time limit cuts a round short.
import { any, concat, cycle, once, seconds, sleep, type GenContext, type Generator, type OpSpec, type Random } from '../generator/index.ts';
import { UserError } from '../history/index.ts';
import { FAULT_KINDS, RAFT_KINDS, type FaultChoice, type FaultKind, type FaultSpec } from './fault.ts';
import { RAFT_GROUP } from './raft-kinds.ts';
import { CRASH_AFTER_VOTE_VARIANTS } from './raft-crash-after-vote.ts';
import { LOSS_SHAPES, PARTITION_SHAPES } from './grudge.ts';
import { TARGETS } from './targets.ts';
import { CORRUPT_VARIANTS } from './corrupt-bytes.ts';
import { CLOCK_MODES } from './clock.ts';
import { DEFAULT_DELAY } from './delay.ts';
import { MEMBER_VARIANTS } from './member.ts';
import { DEFRAG_VARIANTS } from './defrag.ts';
import { FAILPOINT_MODES, FAILPOINT_NAMES, FAILPOINT_SLEEPS_MS } from './failpoint-options.ts';


export const VARIANTS: Record<FaultKind, readonly string[]> = {
  partition: PARTITION_SHAPES,
  loss: LOSS_SHAPES,
  kill: TARGETS,
  pause: TARGETS,
  clock: CLOCK_MODES,
  delay: TARGETS,
  figure8: ['scripted'],
  'lagging-leader': ['scripted', 'stragglers', 'stale-commit'],
  'uncommitted-cut': ['scripted'],
  'crash-after-vote': CRASH_AFTER_VOTE_VARIANTS,
  'two-leaders': ['scripted'],
  'stale-restart': ['scripted'],
  'election-storm': ['scripted'],
  'deposed-leader': ['scripted'],
  failpoint: FAILPOINT_MODES,
  member: MEMBER_VARIANTS,
  compact: ['latest'],
  defrag: DEFRAG_VARIANTS,
  'lose-unsynced': TARGETS,
  corrupt: CORRUPT_VARIANTS,
};

/** Names that stand for several kinds: `raft` is every Raft-aware scenario. */
const GROUPS: Record<string, readonly FaultKind[]> = { [RAFT_GROUP]: RAFT_KINDS };

/**
 * Every valid --nemesis name: a kind (any of its variants, at random each
 * round) or kind-variant for exactly one, e.g. partition-ring, kill-leader,
 * clock-strobe, loss-all; or a group of kinds (raft).
 */
export const NEMESIS_NAMES: readonly string[] = [...FAULT_KINDS.flatMap((k) => [k, ...VARIANTS[k].map((v) => `${k}-${v}`)]), ...Object.keys(GROUPS)];

/** The choices a list of names stands for (deduplicated, in order). Unknown names are a UserError naming them. */
export function resolveNemeses(names: readonly string[]): FaultChoice[] {
  const out = new Map<string, FaultChoice>();
  for (const raw of names) {
    const name = raw.trim();
    if (!NEMESIS_NAMES.includes(name)) {
      throw new UserError(`unknown nemesis ${JSON.stringify(name)}`, `Known: ${NEMESIS_NAMES.join(', ')} (combine with commas).`);
    }
    if (GROUPS[name]) {
      for (const kind of GROUPS[name]) for (const variant of VARIANTS[kind]) out.set(`${kind}-${variant}`, { kind, variant });
      continue;
    }
    const kind = FAULT_KINDS.find((k) => name === k || name.startsWith(`${k}-`))!;
    const variants = name === kind ? VARIANTS[kind] : [name.slice(kind.length + 1)];
    for (const variant of variants) out.set(`${kind}-${variant}`, { kind, variant });
  }
  return [...out.values()];
}

/** Split a --nemesis option ("partition,kill" / "none" / ""). */
export function parseNemesisOption(spec: string): string[] {
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError(`--nemesis ${JSON.stringify(spec)} names no fault`, `Name faults (${NEMESIS_NAMES.join(', ')}), or say --nemesis none.`);
  if (names.includes('none') && names.length > 1) throw new UserError(`--nemesis ${JSON.stringify(spec)}: none means no faults, so it cannot be combined with others`);
  if (names[0] === 'none') return [];
  // Unknown names are refused here, before any other option is weighed.
  resolveNemeses(names);
  return names;
}

/** A duration option in seconds: "10", "10s", "500ms", "2m" (or a number of seconds). */
export function parseSeconds(spec: string | number, option = '--nemesis-interval'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(String(spec));
  const s = m ? Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm'] : NaN;
  if (!(s > 0)) throw new UserError(`${option}: expected a positive duration such as 10, 10s, 500ms or 2m, got ${JSON.stringify(String(spec))}`);
  return s;
}

export interface ScheduleOptions {
  /** Quiet period before each fault, seconds. */
  intervalS: number;
  /** How long each fault lasts, seconds (default: intervalS). */
  faultS?: number;
  /** Packet-loss probability (0, 1]; default 0.3. */
  lossProbability?: number;
  /** Share of a delayed node's outgoing peer batches held back (0, 1]; default 0.5. */
  delayProbability?: number;
  /** Longest hold of one delayed batch, ms; default 1000. */
  delayMaxMs?: number;
  /** Largest clock jump, ms; default 30 000. */
  clockMaxMs?: number;
  /** Failpoints the failpoint nemesis draws from (etcd's names; default all of etcd's). */
  failpoints?: readonly string[];
  /** One timeline per fault kind, so faults of different kinds overlap (default: one fault at a time). */
  overlap?: boolean;
}

const SKEW_RATES = [0.5, 0.8, 1.25, 2] as const;

/** Magnitudes and a seed for one start op, drawn from the schedule's own stream. */
export function faultSpec(choice: FaultChoice, r: Random, opts: ScheduleOptions): FaultSpec {
  const spec: FaultSpec = { variant: choice.variant, seed: r.uint32() };
  if (choice.kind === 'loss') spec.probability = opts.lossProbability ?? 0.3;
  if (choice.kind === 'delay') {
    spec.probability = opts.delayProbability ?? DEFAULT_DELAY.probability;
    spec.maxDelayMs = opts.delayMaxMs ?? DEFAULT_DELAY.maxMs;
  }
  if (choice.kind === 'clock') {
    const max = opts.clockMaxMs ?? 30_000;
    if (choice.variant === 'skew') spec.rate = r.pick(SKEW_RATES);
    else spec.deltaMs = (r.int(2) === 0 ? -1 : 1) * r.between(Math.min(100, max), max);
    if (choice.variant === 'strobe') spec.periodMs = r.between(20, 200);
  }
  if (choice.kind === 'failpoint') {
    spec.failpoint = r.pick(opts.failpoints?.length ? opts.failpoints : FAILPOINT_NAMES);
    if (choice.variant === 'sleep') spec.sleepMs = r.pick(FAILPOINT_SLEEPS_MS);
  }
  return spec;
}

export function validateSchedule(opts: ScheduleOptions): void {
  if (!(opts.intervalS > 0)) throw new UserError(`--nemesis-interval must be a positive number of seconds, got ${opts.intervalS}`);
  if (opts.faultS !== undefined && !(opts.faultS > 0)) throw new UserError(`fault length must be positive, got ${opts.faultS}`);
  const p = opts.lossProbability;
  if (p !== undefined && !(p > 0 && p <= 1)) throw new UserError(`packet loss probability must be in (0, 1], got ${p}`);
  const d = opts.delayProbability;
  if (d !== undefined && !(d > 0 && d <= 1)) throw new UserError(`message delay probability must be in (0, 1], got ${d}`);
  if (opts.delayMaxMs !== undefined && !(opts.delayMaxMs > 0)) throw new UserError(`longest message delay must be positive, got ${opts.delayMaxMs}`);
}

/** The fault schedule: rounds of quiet, start, fault, stop, forever (the run's time limit ends it). */
export function faultSchedule(choices: readonly FaultChoice[], opts: ScheduleOptions): Generator {
  validateSchedule(opts);
  if (choices.length === 0) throw new UserError('no faults to schedule');
  const kinds = [...new Set(choices.map((c) => c.kind))];
  if (!opts.overlap || kinds.length === 1) return rounds(choices, opts, false);
  // Quiet periods drawn from 0.5-1.5 intervals, so the kinds' timelines drift against each other and
  // every ordering happens: one fault just before the other, both at once, one inside the other.
  return any(kinds.map((kind) => rounds(choices.filter((c) => c.kind === kind), opts, true)));
}

/** A sleep of `dt(ctx)` ns, drawn when first asked. */
function sleepDrawn(dt: (ctx: GenContext) => number): Generator {
  let inner: Generator | undefined;
  return { next: (ctx) => (inner ??= sleep(dt(ctx))).next(ctx) };
}

/** Rounds of quiet, start, fault, stop over `choices`, one fault at a time; `jitter` varies the quiet periods. */
function rounds(choices: readonly FaultChoice[], opts: ScheduleOptions, jitter: boolean): Generator {
  return cycle(() => {
    let chosen: FaultChoice | undefined;
    return concat(
      jitter ? sleepDrawn((ctx) => seconds(opts.intervalS * (0.5 + ctx.random.float()))) : sleep(seconds(opts.intervalS)),
      once((ctx): OpSpec => {
        chosen = ctx.random.pick(choices);
        return { f: `start-${chosen.kind}`, value: faultSpec(chosen, ctx.random, opts) };
      }),
      sleep(seconds(opts.faultS ?? opts.intervalS)),
      once((): OpSpec => ({ f: `stop-${chosen!.kind}`, value: null })),
    );
  });
}
