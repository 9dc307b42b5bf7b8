// npm run bench:explore [-- --set tuning|held-out|all --only A,B --budget 2m --run-time 8
//                          --control 1 --replays 10 --replay-found 2 --replay-repeat 1 --seed 1 --json]
//
// Does explore find bugs nobody planted? For each mutant of raftkv's
// mutation suite (raftkv/mutants.ts), run `faultline explore` in-process with
// the given budget on 5 nodes, register and set workloads, its default
// faults; print per mutant whether it was found, after how many seconds and
// runs, by which checker, and which faults the finding schedule holds. Then
// the false-positive control: the correct raftkv explored with the same
// budget (--control times). Then replays: the first --replay-found found
// schedules re-run --replays times each; the rate that gives the same
// verdict (with --replay-repeat K, also each played K times per run, as
// `faultline replay --repeat K` does). Nothing here shrinks (shrinking is timed by its own budget).
//
// Per mutant it also counts the runs in which the planted bug acted (its
// marked line did what the rule would not: raftkv logs a `mutant-acted`
// line, raftkv/mutants.ts MutantAct). A mutant missed without ever acting
// was never reached by the faults; one that acted and was missed got past
// the checkers. Explore itself never reads these lines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { MUTANTS, type MutantName } from '../raftkv/index.ts';
import { mutantActsInRun } from '../clusters/raftkv/index.ts';
import { SYSTEMS } from '../harness/systems/index.ts';
import { parseSeconds } from '../nemeses/index.ts';
import { explore, type ExploreOutcome } from '../cli/explore/explore.ts';
import { exploreNemeses } from '../cli/explore/defaults.ts';
import { runSchedule } from '../cli/explore/run-schedule.ts';
import { repeatSchedule, type ScheduleFile } from '../harness/explore/index.ts';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'tuning' },
    only: { type: 'string' },
    budget: { type: 'string', default: '2m' },
    'run-time': { type: 'string', default: '8' },
    control: { type: 'string', default: '1' },
    replays: { type: 'string', default: '10' },
    'replay-found': { type: 'string', default: '2' },
    'replay-repeat': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    store: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const BUDGET_S = parseSeconds(values.budget!, '--budget');
const RUN_S = Number(values['run-time']);
const CONTROL = Number(values.control);
const REPLAYS = Number(values.replays);
const REPLAY_FOUND = Number(values['replay-found']);
const REPLAY_REPEAT = Number(values['replay-repeat']);
const SEED = Number(values.seed);
const STORE = values.store ?? mkdtempSync(join(tmpdir(), 'faultline-bench-explore-'));
const set = values.set!;
/** Wide enough for the longest list of checkers ("linearizability, divergence, raft-protocol") and a space. */
const CAUGHT_BY_WIDTH = 44;
if (!['tuning', 'held-out', 'all'].includes(set)) throw new Error('--set must be tuning, held-out or all');
const names = Object.entries(MUTANTS)
  .filter(([name, m]) => (set === 'all' || m.set === set) && (!values.only || values.only.split(',').includes(name)))
  .map(([name]) => name);
const log = (line: string) => console.error(line);

const db = SYSTEMS.raftkv.db!({} as never);
const { names: faultNames, choices } = exploreNemeses(db, 5);
const space = { choices, options: { intervalS: 2 }, runS: RUN_S };

async function exploreOnce(extra: string[], seed: number, label: string): Promise<ExploreOutcome> {
  log(`== ${label}`);
  return explore({
    base: ['--db', 'raftkv', '--nodes', '5', '--op-timeout', '2000', ...extra],
    workloads: ['register', 'set'],
    knobs: SYSTEMS.raftkv.exploreKnobs,
    space,
    budgetS: BUDGET_S,
    seed,
    store: STORE,
    log: (line) => log(`  ${line}`),
  });
}

interface Row {
  mutant: string;
  set: string;
  found: boolean;
  /** Runs in which the mutant acted at least once, and its acts in all runs (once per node and term). */
  actedRuns: number;
  acts: number;
  afterS?: number;
  runs: number;
  /** Faults the runs started, and scheduled ones they ended before starting (dealt again). */
  started: number;
  notReached: number;
  caughtBy: string[];
  faults: string[];
  settings: string[];
  schedule?: ScheduleFile;
}

await ensureEnvironment({ log: (line) => log(`setup: ${line}`) });
log(`bench:explore: ${names.length} mutant(s) (${set}), budget ${BUDGET_S} s each, runs of ${RUN_S} s, faults ${faultNames.join(', ')}, store ${STORE}`);
const rows: Row[] = [];
for (const [i, mutant] of names.entries()) {
  const out = await exploreOnce(['--mutant', mutant], SEED + i, `mutant ${mutant}`);
  const f = out.found;
  const acts = out.runs.map((r) => mutantActsInRun(r.dir).get(mutant as MutantName) ?? 0);
  rows.push({
    actedRuns: acts.filter((a) => a > 0).length,
    acts: acts.reduce((a, b) => a + b, 0),
    mutant,
    set: MUTANTS[mutant as keyof typeof MUTANTS].set,
    found: !!f,
    ...(f ? { afterS: f.schedule.found!.afterS } : {}),
    runs: out.runs.length,
    started: out.runs.reduce((n, r) => n + r.faults.length - r.unplayed, 0),
    notReached: out.runs.reduce((n, r) => n + r.unplayed, 0),
    caughtBy: f?.run.caughtBy ?? [],
    faults: [...new Set(f?.schedule.faults.map((x) => `${x.kind}-${x.spec.variant}`) ?? [])],
    settings: f?.run.settings ?? [],
    ...(f ? { schedule: f.schedule } : {}),
  });
}

const controls: Array<{ found: boolean; runs: number; caughtBy: string[] }> = [];
for (let i = 0; i < CONTROL; i++) {
  const out = await exploreOnce([], SEED + 1000 + i, `control ${i + 1}: correct raftkv`);
  controls.push({ found: !!out.found, runs: out.runs.length, caughtBy: out.found?.run.caughtBy ?? [] });
}

const replays: Array<{ mutant: string; repeat: number; same: number; of: number }> = [];
for (const row of rows.filter((r) => r.schedule).slice(0, REPLAY_FOUND)) {
  for (const repeat of REPLAY_REPEAT > 1 ? [1, REPLAY_REPEAT] : [1]) {
    const played = repeatSchedule(row.schedule!.faults, repeat, RUN_S);
    const override = repeat > 1 ? ['--time-limit', String(played.runS)] : [];
    let same = 0;
    for (let i = 0; i < REPLAYS; i++) {
      const out = await runSchedule({ ...row.schedule!, faults: played.faults }, { store: STORE, source: `replay of ${row.mutant}`, override });
      if (out.results.valid === row.schedule!.found!.valid) same++;
      const verdict = out.results.valid === false ? 'invalid' : out.results.valid === true ? 'valid' : 'unknown';
      log(`  replay ${row.mutant}${repeat > 1 ? ` (played ${repeat} times)` : ''} ${i + 1}/${REPLAYS}: ${verdict}${out.results.valid === row.schedule!.found!.valid ? ' (same)' : ''}`);
    }
    replays.push({ mutant: row.mutant, repeat, same, of: REPLAYS });
  }
}

const caught = (s: string) => `${rows.filter((r) => r.set === s && r.found).length}/${rows.filter((r) => r.set === s).length}`;
const total = rows.length ? rows.filter((r) => r.found).length / rows.length : 0;
if (values.json) {
  console.log(JSON.stringify({ budgetS: BUDGET_S, runS: RUN_S, faults: faultNames, rows: rows.map(({ schedule: _s, ...r }) => r), controls, replays, store: STORE }, null, 2));
} else {
  console.log(`\n${'mutant'.padEnd(32)}${'set'.padEnd(10)}${'found'.padEnd(7)}${'after'.padEnd(8)}${'runs'.padEnd(6)}${'acted in'.padEnd(10)}${'caught by'.padEnd(CAUGHT_BY_WIDTH)}faults in the finding schedule (settings)`);
  for (const r of rows) {
    console.log(
      `${r.mutant.padEnd(32)}${r.set.padEnd(10)}${(r.found ? 'yes' : 'no').padEnd(7)}${(r.afterS === undefined ? '-' : `${r.afterS} s`).padEnd(8)}${String(r.runs).padEnd(6)}` +
        `${`${r.actedRuns} (${r.acts})`.padEnd(10)}` +
        `${(r.caughtBy.join(', ') || '-').padEnd(CAUGHT_BY_WIDTH - 1)} ${r.faults.join(', ') || (r.found ? 'none' : '-')}${r.settings.length ? ` (${r.settings.join(' ')})` : ''}`,
    );
  }
  console.log(`\ncaught by explore within ${BUDGET_S} s: tuning ${caught('tuning')}, held-out ${caught('held-out')}; all ${Math.round(total * 100)}%`);
  const missed = rows.filter((r) => !r.found);
  if (missed.length) {
    const never = missed.filter((r) => r.actedRuns === 0).map((r) => r.mutant);
    const past = missed.filter((r) => r.actedRuns > 0).map((r) => `${r.mutant} (acted in ${r.actedRuns} of ${r.runs} runs)`);
    console.log(`missed, never acting in any run (the faults never reached it): ${never.join(', ') || 'none'}`);
    console.log(`missed though it acted (got past the checkers): ${past.join(', ') || 'none'}`);
  }
  const runs = rows.reduce((n, r) => n + r.runs, 0);
  const started = rows.reduce((n, r) => n + r.started, 0);
  console.log(`faults started: ${started} in ${runs} runs (${(started / Math.max(1, runs)).toFixed(2)} a run, ${(started / Math.max(1, rows.length)).toFixed(1)} an explore); scheduled but not reached (dealt again): ${rows.reduce((n, r) => n + r.notReached, 0)}`);
  console.log('("acted in": runs in which the planted bug did what the rule would not, and in brackets its acts, once per node and term)');
  console.log(`false positives (correct raftkv, same budget): ${controls.filter((c) => c.found).length}/${controls.length}${controls.some((c) => c.found) ? ` (${controls.filter((c) => c.found).map((c) => c.caughtBy.join('+')).join('; ')})` : ''}`);
  for (const r of replays.filter((x) => x.of > 0)) console.log(`replay of ${r.mutant}'s schedule${r.repeat > 1 ? `, its faults played ${r.repeat} times per run` : ''}: same verdict ${r.same}/${r.of}`);
  console.log(`(runs in ${STORE})`);
}
