// npm run bench:mutants-sim [-- --seeds 200 --only A,B --json]
//
// The mutation suite in the in-memory simulator (testkit/raft-sim-fuzz.ts):
// per mutant of raftkv's Raft core, --seeds random fault schedules (5 nodes,
// 3 virtual seconds of partitions, cuts, crashes, pauses and reordering,
// then a healed catch-up), and in how many the planted bug acted and in how
// many the damage showed: a Raft safety rule the simulator records (two
// leaders in a term, two entries applied at one index) or a client history
// that is not linearizable. The correct Raft comes first, over the same
// seeds: any finding there is a defect of the simulator or the check.
//
// This is not explore's yardstick (that is `npm run bench:explore`, real
// processes in Docker within 2 minutes). It answers another question: can
// a mutant that explore misses do visible damage at all? One that acts in
// many schedules and never damages anything is a candidate equivalent
// mutant (a change no test can tell from the correct code).
import { parseArgs } from 'node:util';
import { MUTANTS, type MutantName } from '../raftkv/index.ts';
import { fuzzOnce, OUTSIDE_THE_CORE, type FuzzOutcome } from '../testkit/raft-sim-fuzz.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '200' }, only: { type: 'string' }, json: { type: 'boolean', default: false } } });
const SEEDS = Number(values.seeds);
if (!Number.isInteger(SEEDS) || SEEDS < 1) throw new Error(`--seeds must be a whole number from 1, got ${values.seeds}`);
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.find((m) => !(m in MUTANTS));
if (unknown) throw new Error(`--only: no mutant ${unknown}; known: ${Object.keys(MUTANTS).join(', ')}`);
const mutants = (Object.keys(MUTANTS) as MutantName[]).filter((m) => !OUTSIDE_THE_CORE.includes(m) && (!only || only.includes(m)));

interface Row {
  mutant: MutantName | 'none (correct Raft)';
  set: string;
  seeds: number;
  acted: number;
  /** Schedules with damage, and by what. */
  damaged: number;
  bySafety: number;
  byLinearizability: number;
  /** Schedules with no safety violation whose linearizability search hit its time cap: damage not ruled out. */
  undecided: number;
  firstDamagedSeed: number | null;
  example: string;
  ms: number;
}

function measure(mutant: MutantName | undefined): Row {
  const t0 = performance.now();
  const row: Row = { mutant: mutant ?? 'none (correct Raft)', set: mutant ? MUTANTS[mutant].set : '-', seeds: SEEDS, acted: 0, damaged: 0, bySafety: 0, byLinearizability: 0, undecided: 0, firstDamagedSeed: null, example: '', ms: 0 };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const o: FuzzOutcome = fuzzOnce(seed, mutant ? [mutant] : []);
    if (o.acts > 0) row.acted++;
    const safety = o.violations.length > 0;
    const lin = o.linearizable === false;
    if (safety) row.bySafety++;
    if (lin) row.byLinearizability++;
    if (!safety && o.linearizable === 'unknown') row.undecided++;
    if (safety || lin) {
      row.damaged++;
      if (row.firstDamagedSeed === null) {
        row.firstDamagedSeed = seed;
        row.example = safety ? o.violations[0] : 'client history not linearizable';
      }
    }
  }
  row.ms = performance.now() - t0;
  if (!values.json) {
    const pad = (s: string | number, n: number) => String(s).padEnd(n);
    console.log(
      `${pad(row.mutant, 30)} ${pad(row.set, 9)} acted ${pad(`${row.acted}/${SEEDS}`, 9)} damage ${pad(`${row.damaged}/${SEEDS}`, 9)} ` +
        `(safety ${row.bySafety}, linearizability ${row.byLinearizability}; undecided ${row.undecided})${row.firstDamagedSeed !== null ? `  first: seed ${row.firstDamagedSeed}, ${row.example}` : ''}  ${(row.ms / 1000).toFixed(0)} s`,
    );
  }
  return row;
}

if (!values.json) console.error(`bench:mutants-sim: ${SEEDS} seeded schedules per mutant in the simulator (not run here: ${OUTSIDE_THE_CORE.join(', ')}, planted outside the Raft core)`);
const rows = [measure(undefined), ...mutants.map((m) => measure(m))];
// Only schedules that were decided count as "no damage": a search that ran out of time proves nothing.
const candidates = rows.filter((r) => r.mutant !== 'none (correct Raft)' && r.acted > 0 && r.damaged === 0 && r.undecided === 0).map((r) => r.mutant);
const never = rows.filter((r) => r.mutant !== 'none (correct Raft)' && r.acted === 0).map((r) => r.mutant);
if (values.json) console.log(JSON.stringify({ seeds: SEEDS, rows, candidateEquivalent: candidates, neverActed: never }));
else {
  console.log(`acted but never did visible damage in ${SEEDS} schedules (candidate equivalent mutants): ${candidates.join(', ') || 'none'}`);
  console.log(`never acted: ${never.join(', ') || 'none'}`);
  if (rows[0].damaged > 0) console.log(`THE CORRECT RAFT SHOWED DAMAGE in ${rows[0].damaged} schedules: the simulator or the check is wrong`);
  if (rows[0].undecided > 0) console.log(`the correct Raft's check was undecided in ${rows[0].undecided} schedules (linearizability search over its time cap)`);
}
process.exitCode = rows[0].damaged > 0 || rows[0].undecided > 0 ? 1 : 0;
