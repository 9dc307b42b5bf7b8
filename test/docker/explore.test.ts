// explore and replay end to end, as a user runs them: a planted bug found,
// its schedule written, replayed; a bug-free system explored clean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../support/cli.ts';
import { parseScheduleFile } from '../../harness/explore/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const store = path.join(dir, 'store');
const common = ['--db', 'raftkv', '--nodes', '3', '--workload', 'register', '--run-time', '5', '--nemesis', 'kill,pause', '--store', store];

describe('faultline explore', () => {
  const out = path.join(dir, 'found.schedule.json');

  it('finds a planted stale read, writes its schedule (exit 1); replay re-runs it', async () => {
    const r = await faultline(['explore', ...common, '--bug', 'stale-read', '--budget', '90s', '--shrink-budget', '0', '--seed', '7', '--out', out], { timeoutMs: 300_000 });
    expect(r.exitCode, String(r.stderr)).toBe(1);
    // Each run shows the settings explore turned for it (raftkv's snapshot and batch sizes).
    expect(r.stderr).toMatch(/explore run 1 \[\d+\/90 s\] register --snapshot-every \d+ --max-append-entries \d+, fresh(, first pass)?: /);
    expect(r.stdout).toMatch(/INVALID {2}found by linearizability/);
    const schedule = parseScheduleFile(fs.readFileSync(out, 'utf8'), out);
    expect(schedule.found).toMatchObject({ valid: false });
    expect(schedule.found!.caughtBy).toContain('linearizability');
    expect(schedule.test).toEqual(expect.arrayContaining(['--bug', 'stale-read', '--seed', '--snapshot-every', '--max-append-entries']));
    // The run it found is a normal run folder with its report and its own replayable schedule.
    expect(fs.existsSync(path.join(schedule.found!.run, 'report.html'))).toBe(true);
    expect(fs.existsSync(path.join(schedule.found!.run, 'schedule.json'))).toBe(true);

    const replay = await faultline(['replay', out, '--times', '2', '--store', store], { timeoutMs: 300_000 });
    expect(replay.stdout).toMatch(/reproduced [12]\/2 \(INVALID as found\)/);
    expect(replay.exitCode).toBe(1);
  });

  it('a bug-free raftkv explored for one run comes out clean (exit 0)', async () => {
    const r = await faultline(['explore', ...common, '--budget', '1s', '--seed', '3'], { timeoutMs: 300_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/clean {2}no invalid run in 1 runs/);
  });
});
