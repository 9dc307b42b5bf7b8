import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '../../harness/analyze.ts';
import { runTest } from '../../harness/run/index.ts';
import { MemoryCluster, memoryTest } from '../support/memdb.ts';

const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-analyze-'));
afterAll(() => fs.rmSync(store, { recursive: true, force: true }));

describe('faultline analyze', () => {
  it('re-runs the checkers test.json names, and catches a tampered history', async () => {
    const db = new MemoryCluster();
    const out = await runTest(memoryTest(db, { timeLimit: 0.2 }), { store, status: 'off', handleSignals: false });
    const again = await analyzeRun(out.dir);
    const brief = (r: typeof again) => r.checkers.map((c) => [c.checker, c.valid, c.summary]);
    expect(brief(again)).toEqual(brief(out.results));

    // Make one ok read return a value nobody wrote.
    const file = path.join(out.dir, 'history.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"ok","f":"read"'));
    lines[i] = JSON.stringify({ ...JSON.parse(lines[i]), value: 'never-written' });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const tampered = await analyzeRun(out.dir, { write: true });
    expect(tampered.valid).toBe(false);
    expect(tampered.checkers.find((c) => c.checker === 'linearizability')?.valid).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(out.dir, 'results.json'), 'utf8')).valid).toBe(false);

    // The CLI: exit 1 for invalid, --json prints the results.
    let code = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, ['bin/faultline.mjs', 'analyze', path.join(store, 'latest'), '--json', '--no-write'], { cwd: path.join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      code = err.status;
      stdout = err.stdout;
    }
    expect(code).toBe(1);
    expect(JSON.parse(stdout).valid).toBe(false);
  });

  it('says what is wrong with a folder that is not a run', async () => {
    await expect(analyzeRun(store)).rejects.toThrow(/not a run folder/);
  });
});
