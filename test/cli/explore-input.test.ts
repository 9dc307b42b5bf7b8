// explore and replay refuse bad input at once (exit 2, a message naming the
// problem), before any Docker engine is asked for and before any run folder exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../support/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-explore-input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const store = path.join(dir, 'store');

describe('faultline explore refuses bad options', () => {
  it.each([
    [['--budget', '0'], /--budget: expected a positive duration such as 10, 10s, 500ms or 2m, got "0"/],
    [['--budget', 'soon'], /--budget: expected a positive duration/],
    [['--shrink-budget', '-1'], /--shrink-budget: expected a positive duration/],
    [['--run-time', '2'], /--run-time must be from 4 to 600 seconds, got 2/],
    [['--db', 'memory'], /explore needs a system on Docker nodes; --db memory is not one/],
    [['--db', 'nosuch'], /unknown --db "nosuch"/],
    [['--workload', 'register,nosuch'], /--workload: raftkv has no workload "nosuch"/],
    [['--nemesis', 'nosuchfault'], /unknown nemesis "nosuchfault"/],
    [['--db', 'etcd', '--nemesis', 'clock'], /clock/],
    [['--out', '/nonexistent/x.json'], /--out \/nonexistent\/x\.json: the folder \/nonexistent does not exist/],
  ])('%j', async (args, message) => {
    const r = await faultline(['explore', ...args, '--store', store]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(store)).toBe(false);
  });
});

describe('faultline replay refuses what is not a schedule', () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const good = { format: 'faultline-schedule', version: 1, test: ['--db', 'raftkv', '--seed', '1'], faults: [] };
  it.each([
    [path.join(dir, 'missing.json'), [], /cannot read .*missing\.json: ENOENT/],
    [write('broken.json', '{"format"'), [], /broken\.json: not JSON/],
    [write('other.json', '{"a":1}'), [], /other\.json: not a faultline schedule/],
    [write('overlap.json', JSON.stringify({ ...good, faults: [{ kind: 'kill', spec: { variant: 'one', seed: 1 }, startS: 1, forS: 3 }, { kind: 'kill', spec: { variant: 'one', seed: 1 }, startS: 2, forS: 1 }] })), [], /overlap\.json: fault 2 starts at 2 s/],
    [write('good.json', JSON.stringify(good)), ['--times', '0'], /--times must be a whole number from 1 to 100, got 0/],
    [write('good2.json', JSON.stringify(good)), ['--repeat', '11'], /--repeat must be a whole number from 1 to 10, got 11/],
    [write('good3.json', JSON.stringify(good)), ['--repeat', '1.5'], /--repeat must be a whole number from 1 to 10, got 1.5/],
  ])('%s %j', async (file, extra, message) => {
    const r = await faultline(['replay', file, ...extra, '--store', store]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(store)).toBe(false);
  });
});
