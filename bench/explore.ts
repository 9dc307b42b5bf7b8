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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { MUTANTS } from '../raftkv/index.ts';
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
  afterS?: number;
  runs: number;
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
  rows.push({
    mutant,
    set: MUTANTS[mutant as keyof typeof MUTANTS].set,
    found: !!f,
    ...(f ? { afterS: f.schedule.found!.afterS } : {}),
    runs: out.runs.length,
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
      log(`  replay ${row.mutant}${repeat > 1 ? ` (played ${repeat} times)` : ''} ${i + 1}/${REPLAYS}: ${out.results.valid}`);
    }
    replays.push({ mutant: row.mutant, repeat, same, of: REPLAYS });
  }
}

const caught = (s: string) => `${rows.filter((r) => r.set === s && r.found).length}/${rows.filter((r) => r.set === s).length}`;
const total = rows.length ? rows.filter((r) => r.found).length / rows.length : 0;
if (values.json) {
  console.log(JSON.stringify({ budgetS: BUDGET_S, runS: RUN_S, faults: faultNames, rows: rows.map(({ schedule: _s, ...r }) => r), controls, replays, store: STORE }, null, 2));
} else {
  console.log('\nmutant                          set       found  after   runs  caught by                 faults in the finding schedule (settings)');
  for (const r of rows) {
    console.log(
      `${r.mutant.padEnd(32)}${r.set.padEnd(10)}${(r.found ? 'yes' : 'no').padEnd(7)}${(r.afterS === undefined ? '-' : `${r.afterS} s`).padEnd(8)}${String(r.runs).padEnd(6)}` +
        `${(r.caughtBy.join(', ') || '-').padEnd(26)}${r.faults.join(', ') || (r.found ? 'none' : '-')}${r.settings.length ? ` (${r.settings.join(' ')})` : ''}`,
    );
  }
  console.log(`\ncaught by explore within ${BUDGET_S} s: tuning ${caught('tuning')}, held-out ${caught('held-out')}; all ${Math.round(total * 100)}%`);
  console.log(`false positives (correct raftkv, same budget): ${controls.filter((c) => c.found).length}/${controls.length}${controls.some((c) => c.found) ? ` (${controls.filter((c) => c.found).map((c) => c.caughtBy.join('+')).join('; ')})` : ''}`);
  for (const r of replays) console.log(`replay of ${r.mutant}'s schedule${r.repeat > 1 ? `, its faults played ${r.repeat} times per run` : ''}: same verdict ${r.same}/${r.of}`);
  console.log(`(runs in ${STORE})`);
}
