import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testOptions, withoutOptions, type TestArgs } from '../../cli/commands/test.ts';
import { buildTest, parseNodes } from '../../harness/systems/index.ts';
import { faultline } from '../support/cli.ts';
import { exitCodeFor, worstValidity } from '../../checkers/result.ts';

/** The options `faultline test ARGS...` parses to, defaults included. */
const parse = (...argv: string[]): TestArgs => testOptions(yargs(argv)).parseSync() as TestArgs;

describe('faultline test options', () => {
  it('--nodes takes a count or names', () => {
    expect(parseNodes('3')).toEqual(['n1', 'n2', 'n3']);
    expect(parseNodes('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseNodes('0')).toThrow(/whole number from 1 to 64/);
    expect(() => parseNodes('65')).toThrow(/whole number from 1 to 64/);
  });

  it('the reproduce line drops the options it pins', () => {
    expect(withoutOptions(['--db', 'memory', '--seed', '4', '--test-count=3', '--rate', '9'], ['seed', 'test-count'])).toEqual(['--db', 'memory', '--rate', '9']);
  });

  it('the defaults inject faults: partition and kill, with room for several rounds', () => {
    const test = buildTest(parse(), 1);
    expect(test.nemesis).toBeDefined();
    expect(test.options).toMatchObject({ db: 'etcd', nemesis: 'partition,kill', nemesisInterval: '10s' });
    expect(test.timeLimit).toBeGreaterThanOrEqual(3 * 10);
  });

  it('a time limit that ends before the first fault is a user error, not a silent fault-free run', () => {
    expect(() => buildTest(parse('--time-limit', '10'), 1)).toThrow(/would inject nothing.*--nemesis-interval 10s.*--time-limit 10/);
    expect(() => buildTest(parse('--time-limit', '5', '--nemesis-interval', '2s'), 1)).not.toThrow();
    expect(() => buildTest(parse('--time-limit', '5', '--nemesis', 'none'), 1)).not.toThrow();
  });
});

describe('faultline test --test-count', () => {
  it('runs N times with consecutive seeds, a run folder each', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-count-'));
    const r = await faultline(['test', '--db', 'memory', '--time-limit', '0.3', '--test-count', '3', '--seed', '40', '--json', '--store', store]);
    expect(r.exitCode).toBe(0);
    const runs = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l) as { seed: number; dir: string; results: { valid: unknown } });
    expect(runs.map((x) => x.seed)).toEqual([40, 41, 42]);
    expect(runs.every((x) => x.results.valid === true)).toBe(true);
    // Three run folders, each with its own seed on record.
    const dirs = readdirSync(join(store, 'memory-register-none')).filter((d) => d !== 'latest');
    expect(dirs).toHaveLength(3);
    const seeds = dirs.map((d) => JSON.parse(readFileSync(join(store, 'memory-register-none', d, 'test.json'), 'utf8')).seed).sort();
    expect(seeds).toEqual([40, 41, 42]);
    const bad = await faultline(['test', '--db', 'memory', '--test-count', '0']);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toContain('--test-count must be a positive integer');
  });

  it('refuses raftkv server options for other databases, and bad delay magnitudes, before anything starts (exit 2)', async () => {
    const etcdOnly = await faultline(['test', '--db', 'memory', '--max-append-entries', '1']);
    expect(etcdOnly.exitCode).toBe(2);
    expect(String(etcdOnly.stderr)).toContain('--max-append-entries is a raftkv server option; --db memory has no such setting');
    const delay = await faultline(['test', '--db', 'raftkv', '--nemesis', 'delay', '--nemesis-interval', '1s', '--time-limit', '5', '--delay-max', 'soon']);
    expect(delay.exitCode).toBe(2);
    expect(String(delay.stderr)).toContain('--delay-max');
  });
});

describe('the exit code of several runs', () => {
  it('is the worst verdict: invalid beats unknown beats valid', () => {
    expect(exitCodeFor(worstValidity([true, true]))).toBe(0);
    expect(exitCodeFor(worstValidity([true, 'unknown', true]))).toBe(2);
    expect(exitCodeFor(worstValidity(['unknown', false, true]))).toBe(1);
    expect(exitCodeFor(worstValidity([]))).toBe(0);
  });
});
