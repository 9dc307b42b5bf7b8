// vitest globalSetup: the test suite gets a temp folder of its own, set as
// TMPDIR before any test worker starts (workers inherit it, and os.tmpdir()
// reads it), and removed when the suite ends, so no test leaves
// faultline-* folders in the system temp directory, whatever it forgets to
// clean. Set FAULTLINE_KEEP_TEST_TMP=1 to keep it for a post-mortem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.FAULTLINE_KEEP_TEST_TMP === '1') console.error(`test temp folder kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
