// How a defined node's clock is read for the clock faults' evidence: the
// probe script, run here on the host with and without libfaketime.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockScript, controlRate } from '../../clusters/defined/clock.ts';
import { faketimeEnvFor } from '../../clusters/faketime.ts';
import { LIBFAKETIME } from '../../clusters/docker/toolbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-clock-'));
/** The probe, its pid file moved here; the shell that runs it stands in for the node process. */
const probe = (): string => `echo $$ > ${dir}/x.pid\n${clockScript('x').replace('/faultline/x.pid', `${dir}/x.pid`)}`;

describe('defined node clock', () => {
  it('reads the rate of a control line', () => {
    expect(controlRate('+1.500 x1\n')).toBe(1);
    expect(controlRate('-0.000 x2\n')).toBe(2);
    expect(controlRate('+3.000 x0.5')).toBe(0.5);
    expect(controlRate(undefined)).toBe(1);
  });

  it('refuses a process that did not load libfaketime', async () => {
    const r = await execa('bash', ['-c', probe()], { reject: false });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/did not load libfaketime: a static or Go binary ignores it/);
  });

  it.runIf(existsSync(LIBFAKETIME))('reads the faked clock of a process that did', async () => {
    writeFileSync(join(dir, 'faketime.rc'), '+30.000 x1\n');
    const env = Object.fromEntries(faketimeEnvFor(join(dir, 'faketime.rc')).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
    const before = Date.now();
    const r = await execa('bash', ['-c', probe()], { env, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(Number(r.stdout.trim()) * 1000 - before).toBeGreaterThan(29_000);
    expect(Number(r.stdout.trim()) * 1000 - before).toBeLessThan(31_000);
  });
});
