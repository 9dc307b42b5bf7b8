// vitest globalSetup: the test suite gets a temp folder of its own, set as
// TMPDIR before any test worker starts (workers inherit it, and os.tmpdir()
// reads it), and removed when the suite ends, so no test leaves
// faultline-* folders in the system temp directory, whatever it forgets to
// clean. Set FAULTLINE_KEEP_TEST_TMP=1 to keep it for a post-mortem.
// A suite killed before its teardown (SIGKILL, a timeout) cannot remove its
// folder: the folder carries the suite's pid, and the next suite removes the
// folders of suites no longer running (a kept one too). A folder without a
// pid (made before this rule) goes once it is a day old.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'faultline-tests-';

/** A day: a pid-less suite folder older than this belongs to no running suite. */
const OLD_MS = 24 * 3600 * 1000;

/** The suite folders among `entries` whose suite process is gone. */
export function abandonedSuiteDirs(entries: ReadonlyArray<{ name: string; ageMs: number }>, alive: (pid: number) => boolean): string[] {
  return entries
    .filter(({ name, ageMs }) => {
      if (!name.startsWith(PREFIX)) return false;
      const pid = /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1];
      return pid === undefined ? ageMs > OLD_MS : !alive(Number(pid));
    })
    .map((e) => e.name);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default function setup(): () => void {
  const base = tmpdir();
  const now = Date.now();
  const entries = readdirSync(base)
    .filter((name) => name.startsWith(PREFIX))
    .map((name) => ({ name, ageMs: now - (statSync(join(base, name), { throwIfNoEntry: false })?.mtimeMs ?? now) }));
  for (const stale of abandonedSuiteDirs(entries, isAlive)) rmSync(join(base, stale), { recursive: true, force: true });
  const dir = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.FAULTLINE_KEEP_TEST_TMP === '1') console.error(`test temp folder kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
