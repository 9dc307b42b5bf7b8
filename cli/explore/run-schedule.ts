// One run of a written fault schedule: the `faultline test` options parsed
// as the command line parses them, the cluster and workload they describe
// (harness/systems), and the schedule's faults in place of the random ones.
// Explore, shrink and replay all run schedules through here.
import { buildTest } from '../../harness/systems/index.ts';
import { nemesisFor, type ScheduleFile } from '../../harness/explore/index.ts';
import { fixedSchedule } from '../../nemeses/index.ts';
import { runTest, type RunOutcome } from '../../harness/run/index.ts';
import { writeRunArtifacts } from '../../reports/index.ts';
import { parseTestArgv, withoutOptions, type TestArgs } from '../commands/test.ts';
import { DockerDbCluster, type WarmPool } from '../../clusters/index.ts';

export interface ScheduleRunOptions {
  store: string;
  /** Write report.html and summary.json (explore writes them only for what it keeps). */
  artifacts?: boolean;
  /** Options that win over the file's (a shorter --time-limit while shrinking). */
  override?: string[];
  onWarning?: (message: string) => void;
  source?: string;
  /** Reuse containers between runs (explore): the cluster comes from and goes back to this pool. */
  pool?: WarmPool;
}

/** The parsed options of a schedule, with --nemesis set to the kinds its faults use. */
export function scheduleTestArgs(schedule: Pick<ScheduleFile, 'test' | 'faults'>, override: readonly string[] = [], source = 'schedule'): TestArgs {
  // An override replaces the file's option of the same name (given twice, yargs would make a list of it).
  const replaced = override.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
  const argv = [...withoutOptions(schedule.test, replaced), ...override];
  // The random schedule's quiet period plays no part here; a short one passes test's check that a fault fits in the run.
  const interval = argv.some((a) => a === '--nemesis-interval' || a.startsWith('--nemesis-interval=')) ? [] : ['--nemesis-interval', '0.5s'];
  return parseTestArgv([...argv, ...interval, '--nemesis', nemesisFor(schedule.faults)], source);
}

export async function runSchedule(schedule: Pick<ScheduleFile, 'test' | 'faults'>, o: ScheduleRunOptions): Promise<RunOutcome & { args: TestArgs }> {
  const args = scheduleTestArgs(schedule, o.override, o.source);
  if (args.seed === undefined) throw new Error('a schedule run needs --seed in its options');
  const test = buildTest(args, args.seed);
  if (test.nemesis) test.nemesis = { ...test.nemesis, generator: () => fixedSchedule(schedule.faults) };
  if (o.pool && test.db instanceof DockerDbCluster) test.db = test.db.pooled(o.pool);
  const out = await runTest(test, {
    store: o.store,
    opTimeoutMs: args.opTimeout,
    status: 'off',
    command: ['faultline', 'test', ...schedule.test, ...(o.override ?? [])],
    onEvent: (e) => {
      if (e.type === 'warning') o.onWarning?.(e.message);
    },
    ...(o.artifacts ? { onResults: async (dir: string) => writeRunArtifacts(dir) } : {}),
  });
  return { ...out, args };
}
