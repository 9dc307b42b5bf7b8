// The file explore writes and replay reads: the `faultline test` options of
// the run (its seed included) and the fault schedule, plus what the run
// found. Everything needed to re-run it; nothing that depends on the
// machine it was found on.
import { checkSchedule, type ScheduledFault } from '../../nemeses/index.ts';
import { UserError } from '../../history/index.ts';

export const SCHEDULE_FORMAT = 'faultline-schedule';

export interface ScheduleFile {
  format: typeof SCHEDULE_FORMAT;
  version: 1;
  /** `faultline test` options (without the program name and without --nemesis: the schedule names the faults). */
  test: string[];
  faults: ScheduledFault[];
  /** What the run that wrote it found. */
  found?: {
    valid: boolean | 'unknown';
    /** Checkers that found it invalid. */
    caughtBy: string[];
    /** The run folder. */
    run: string;
    /** Explore runs it took, and seconds from the start of exploring. */
    afterRuns?: number;
    afterS?: number;
  };
  /** How the schedule was shrunk, when it was. */
  shrunk?: { fromFaults: number; fromTimeLimitS: number; tries: number; minimal: boolean };
}

export function scheduleFile(test: readonly string[], faults: readonly ScheduledFault[], extra: Pick<ScheduleFile, 'found' | 'shrunk'> = {}): ScheduleFile {
  return { format: SCHEDULE_FORMAT, version: 1, test: [...test], faults: faults.map((f) => ({ ...f, spec: { ...f.spec } })), ...extra };
}

/** A schedule file's text, checked: a wrong format, a bad option list or an impossible schedule is a UserError naming the file. */
export function parseScheduleFile(text: string, file: string): ScheduleFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON (${(e as Error).message}); a schedule file is what \`faultline explore\` writes`);
  }
  const d = data as Partial<ScheduleFile>;
  if (!d || typeof d !== 'object' || d.format !== SCHEDULE_FORMAT) throw new UserError(`${file}: not a faultline schedule (no "format": "${SCHEDULE_FORMAT}")`);
  if (d.version !== 1) throw new UserError(`${file}: schedule version ${JSON.stringify(d.version)} is not one this faultline reads (1)`);
  if (!Array.isArray(d.test) || !d.test.every((a) => typeof a === 'string')) throw new UserError(`${file}: "test" must be a list of \`faultline test\` options (strings)`);
  if (d.test.some((a) => a === '--nemesis' || a.startsWith('--nemesis='))) throw new UserError(`${file}: "test" must not name --nemesis: the schedule's "faults" are the faults`);
  if (!Array.isArray(d.faults)) throw new UserError(`${file}: "faults" must be a list`);
  try {
    checkSchedule(d.faults);
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message}`);
  }
  return d as ScheduleFile;
}

/** The --nemesis value that makes a run able to inject every fault of the schedule ('none' for none). */
export function nemesisFor(faults: readonly ScheduledFault[]): string {
  const names = [...new Set(faults.map((f) => `${f.kind}-${f.spec.variant}`))];
  return names.length ? names.join(',') : 'none';
}
