// Explore mode: many short seeded runs, each with a fault schedule that is
// either fresh or a mutation of one that earlier reached something new
// (coverage-guided, as fuzzers keep inputs that reach new branches). The
// first invalid run ends the search; its schedule is written to a file that
// `faultline replay` re-runs, and shrunk (shrink.ts) when there is budget.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../generator/index.ts';
import { errorText } from '../../history/index.ts';
import { Deck, mutate, newFeatures, playedFaults, randomSchedule, runFeatures, scheduleFile, type EventCounts, type ScheduleFile, type ScheduleSpace } from '../../harness/explore/index.ts';
import { bitesByChance, faultPicksOf, isRaftKind, opensReadWindow, type FaultPick, type ScheduledFault } from '../../nemeses/index.ts';
import { readsDuringRun } from '../../workloads/index.ts';
import type { RunOutcome } from '../../harness/run/index.ts';
import type { ExploreKnob } from '../../harness/systems/index.ts';
import { runSchedule } from './run-schedule.ts';
import { WarmPool } from '../../clusters/index.ts';

export interface ExploreOptions {
  /** `faultline test` options every run shares (db, nodes, bugs...), without --workload, --seed, --time-limit, --nemesis. */
  base: string[];
  /** Workloads to take turns with. */
  workloads: string[];
  space: ScheduleSpace;
  budgetS: number;
  seed: number;
  store: string;
  log: (line: string) => void;
  /** Chance of a fresh schedule even when kept ones exist (the rest are mutations). */
  freshShare?: number;
  /** System settings drawn per run (System.exploreKnobs, minus those the user fixed). */
  knobs?: readonly ExploreKnob[];
}

export interface ExploreRun {
  run: number;
  workload: string;
  /** Knob settings as option/value pairs. */
  settings: string[];
  seed: number;
  faults: ScheduledFault[];
  /** How many of `faults`, the last ones, the run ended before starting. */
  unplayed: number;
  how: string;
  valid: boolean | 'unknown';
  caughtBy: string[];
  newFeatures: string[];
  wallS: number;
  dir: string;
  error?: string;
}

export interface ExploreOutcome {
  runs: ExploreRun[];
  /** Every feature reached, and the schedules kept for reaching something new. */
  features: string[];
  kept: number;
  /** The schedule of the first invalid run. */
  found?: { schedule: ScheduleFile; run: ExploreRun; outcome: RunOutcome };
  elapsedS: number;
}

interface Kept {
  faults: ScheduledFault[];
  workload: string;
  /** The knob settings of the run that reached something new, as option/value pairs. */
  settings: string[];
}

/** Chance that a mutated schedule also redraws one knob of its parent's settings. */
const RETUNE_SHARE = 0.25;

/** The options of one explore run: the shared ones, its knob settings, then its workload, seed and length. */
export function runArgv(o: Pick<ExploreOptions, 'base' | 'space'>, workload: string, seed: number, settings: readonly string[] = []): string[] {
  return [...o.base, ...settings, '--workload', workload, '--seed', String(seed), '--time-limit', String(o.space.runS)];
}

/**
 * One value per knob, as option/value pairs (`keep`: a parent's settings, one of them redrawn;
 * `decks`: one per knob, dealing its values for a fresh draw).
 */
export function drawSettings(knobs: readonly ExploreKnob[], random: Random, keep?: readonly string[], decks?: readonly Deck<string>[]): string[] {
  if (knobs.length === 0) return [];
  const values = knobs.map((k, i) => (keep ? keep[2 * i + 1] : (decks?.[i].deal() ?? random.pick(k.values))));
  if (keep) {
    const i = random.between(0, knobs.length - 1);
    values[i] = random.pick(knobs[i].values);
  }
  return knobs.flatMap((k, i) => [k.option, values[i]]);
}

/**
 * Run n's workload: the workloads take turns, except that a schedule with a
 * fault whose window is a stale read (nemeses opensReadWindow) takes the next
 * one that reads while faults hold, when there is one: in a set run (reads
 * only at the end, after healing) that fault would be spent on nothing.
 */
export function workloadOfRun(workloads: readonly string[], n: number, faults: readonly ScheduledFault[]): string {
  const turn = (n - 1) % workloads.length;
  const inTurn = workloads[turn];
  if (readsDuringRun(inTurn) || !faults.some((f) => opensReadWindow(f.kind, f.spec.variant))) return inTurn;
  const readers = [...workloads.slice(turn), ...workloads.slice(0, turn)].filter(readsDuringRun);
  return readers[0] ?? inTurn;
}

/**
 * What the first pass deals, in order: every Raft-aware script, those whose
 * bug bites in their window only by chance (nemeses bitesByChance) once more,
 * then random partitions, kills, pauses, losses and clock faults. A 2-minute
 * budget plays about 13 to 16 faults (bench logs: runs of 12 to 20 s, 8 to a
 * budget, 1.8 faults started a run even with each run filled), fewer than the
 * 19 deals of this pass with the default faults, and the scripts aim at the
 * narrow windows: in the benches every finding schedule held one, and the
 * other kinds found nothing on their own.
 */
export function firstPass(picks: readonly FaultPick[]): FaultPick[][] {
  const scripts = picks.filter((p) => isRaftKind(p.kind));
  return [scripts, scripts.filter((p) => bitesByChance(p.kind, p.variant)), picks.filter((p) => !isRaftKind(p.kind))];
}

export async function explore(o: ExploreOptions): Promise<ExploreOutcome> {
  // One set of containers serves run after run (clusters/warm-pool.ts): ~4 s less per run.
  const pool = new WarmPool();
  try {
    return await search(o, pool);
  } finally {
    await pool.close();
  }
}

async function search(o: ExploreOptions, pool: WarmPool): Promise<ExploreOutcome> {
  const random = new Random(o.seed);
  const started = performance.now();
  const elapsedS = () => (performance.now() - started) / 1000;
  const kept: Kept[] = [];
  const seen = new Set<string>();
  const runs: ExploreRun[] = [];
  const freshShare = o.freshShare ?? 0.3;
  // Kinds (each Raft-aware script on its own: nemeses faultPicksOf) and knob values are dealt, not drawn:
  // each tried once before any twice, but for the first pass's second plays (firstPass). Until that pass
  // was dealt (19 picks with the default faults, more than a 2-minute budget's runs hold), every schedule is fresh: a short budget
  // must not spend itself mutating the first schedule that reached something while whole kinds of fault
  // were never tried.
  const picks = faultPicksOf(o.space.choices);
  const kinds = new Deck(picks, random, firstPass(picks));
  // This run's deals, so that a fault the run never started goes back to the deck (playedFaults).
  let dealtNow: FaultPick[] = [];
  const deal = () => {
    const pick = kinds.deal();
    dealtNow.push(pick);
    return pick;
  };
  const knobDecks = (o.knobs ?? []).map((k) => new Deck(k.values, random));
  // A run starts only while the budget has room for one as long as the longest so far.
  const longestRunS = () => Math.max(0, ...runs.map((r) => r.wallS));
  while (runs.length === 0 || elapsedS() + longestRunS() <= o.budgetS) {
    const n = runs.length + 1;
    const seed = random.uint32();
    const knobs = o.knobs ?? [];
    let faults: ScheduledFault[];
    let settings: string[];
    let how: string;
    dealtNow = [];
    if (kept.length === 0 || !kinds.roundDone || random.float() < freshShare) {
      // The first pass fills each run with as many faults as fit: its picks are dealt in fewer runs.
      faults = randomSchedule(o.space, random, deal, { fill: !kinds.roundDone });
      settings = drawSettings(knobs, random, undefined, knobDecks);
      how = kinds.roundDone ? 'fresh' : 'fresh, first pass';
    } else {
      const parent = random.pick(kept);
      const m = mutate(parent.faults, random.pick(kept).faults, o.space, random, deal);
      // A splice (or a schedule that no longer fits the run) can still come out empty: take a fresh one instead.
      faults = m.faults.length ? m.faults : randomSchedule(o.space, random, deal);
      const retune = knobs.length > 0 && random.float() < RETUNE_SHARE;
      settings = retune ? drawSettings(knobs, random, parent.settings) : parent.settings;
      how = `${m.mutation}${retune ? ' + retune' : ''} of kept #${kept.indexOf(parent) + 1}`;
    }
    const workload = workloadOfRun(o.workloads, n, faults);
    const test = runArgv(o, workload, seed, settings);
    const t0 = performance.now();
    let out: (RunOutcome & { coverage?: EventCounts }) | undefined;
    let error: string | undefined;
    try {
      out = await runSchedule({ test, faults }, { store: o.store, source: `explore run ${n}`, pool });
    } catch (e) {
      error = errorText(e);
    }
    // Faults the run ended before starting were not tried: their picks are dealt again next.
    const { unplayed } = out ? playedFaults(faults, out.history) : { unplayed: [] };
    for (const f of unplayed) {
      const i = dealtNow.findIndex((p) => p.kind === f.kind && (p.variant === undefined || p.variant === f.spec.variant));
      if (i >= 0) kinds.putBack(dealtNow.splice(i, 1)[0]);
    }
    const reached = out ? runFeatures(out.coverage, out.results.checkers) : new Set<string>();
    const fresh = newFeatures(reached, seen);
    const run: ExploreRun = {
      run: n,
      workload,
      settings,
      seed,
      faults,
      unplayed: unplayed.length,
      how,
      valid: out ? out.results.valid : 'unknown',
      caughtBy: out ? out.results.checkers.filter((c) => c.valid === false).map((c) => c.checker) : [],
      newFeatures: fresh,
      wallS: (performance.now() - t0) / 1000,
      dir: out?.dir ?? '',
      ...(error ? { error } : {}),
    };
    runs.push(run);
    if (out) writeFileSync(join(out.dir, 'schedule.json'), `${JSON.stringify(scheduleFile(test, faults), null, 2)}\n`);
    if (fresh.length) {
      kept.push({ faults, workload, settings });
      for (const f of fresh) seen.add(f);
    }
    o.log(progressLine(run, kept.length, seen.size, elapsedS(), o.budgetS));
    if (out && out.results.valid === false) {
      const schedule = scheduleFile(test, faults, { found: { valid: false, caughtBy: run.caughtBy, run: out.dir, afterRuns: n, afterS: Math.round(elapsedS()) } });
      return { runs, features: [...seen].sort(), kept: kept.length, found: { schedule, run, outcome: out }, elapsedS: elapsedS() };
    }
    // A harness error twice in a row is not something more runs fix.
    if (error && runs.length >= 2 && runs[runs.length - 2].error) throw new Error(`explore: two runs in a row failed: ${error}`);
  }
  return { runs, features: [...seen].sort(), kept: kept.length, elapsedS: elapsedS() };
}

export function describeFaults(faults: readonly ScheduledFault[]): string {
  if (faults.length === 0) return 'no faults';
  return faults.map((f) => `${f.kind}-${f.spec.variant}@${f.startS}s/${f.forS}s`).join(' ');
}

function progressLine(r: ExploreRun, kept: number, features: number, elapsed: number, budget: number): string {
  const verdict = r.error ? `error: ${r.error}` : r.valid === false ? `INVALID by ${r.caughtBy.join(', ')}` : r.valid === true ? 'valid' : 'unknown';
  const news = r.newFeatures.length ? `, +${r.newFeatures.length} new (${r.newFeatures.slice(0, 3).join('; ')}${r.newFeatures.length > 3 ? '; ...' : ''})` : '';
  return (
    `explore run ${r.run} [${Math.round(elapsed)}/${budget} s] ${r.workload}${r.settings.length ? ` ${r.settings.join(' ')}` : ''}, ${r.how}: ${describeFaults(r.faults)}` +
    `${r.unplayed ? ` (last ${r.unplayed} not reached)` : ''} -> ${verdict}` +
    `${news}; ${features} features, ${kept} kept, ${r.wallS.toFixed(0)} s`
  );
}
