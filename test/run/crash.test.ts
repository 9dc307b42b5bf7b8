// The controller as a separate process: killed with SIGKILL it must leave a
// readable history; interrupted with SIGINT/SIGTERM it must heal, tear down,
// leave a readable history and exit 2.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../history/index.ts';
import { checkWellFormed } from '../../checkers/well-formed.ts';

const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-crash-'));
afterAll(() => fs.rmSync(store, { recursive: true, force: true }));
const fixture = path.join(import.meta.dirname, 'fixtures', 'run-memdb.ts');

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startController(sub: string, seconds: number, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, path.join(store, sub), String(seconds)], {
    cwd: path.join(import.meta.dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, exited };
}

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function historyLines(sub: string): number {
  const file = path.join(store, sub, 'latest', 'history.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0;
}

describe('controller crash safety', () => {
  it('SIGKILL mid-run leaves a readable, well-formed history up to the kill', async () => {
    const c = startController('kill', 60);
    await until(() => c.stdout().includes('CALL start-partition') && historyLines('kill') > 2000);
    c.proc.kill('SIGKILL');
    const { signal } = await c.exited;
    expect(signal).toBe('SIGKILL');
    const history = readHistory(path.join(store, 'kill', 'latest', 'history.jsonl'));
    expect(history.length).toBeGreaterThan(2000);
    expect(checkWellFormed(history)).toMatchObject({ valid: true });
    expect(history.some((o) => o.process === 'nemesis')).toBe(true);
    // The run never got to teardown, so no verdict was written.
    expect(fs.existsSync(path.join(store, 'kill', 'latest', 'results.json'))).toBe(false);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} mid-run heals every fault, tears down, keeps the history and exits 2`, async () => {
      const sub = sig.toLowerCase();
      const c = startController(sub, 60);
      await until(() => c.stdout().includes('CALL start-partition') && historyLines(sub) > 500);
      c.proc.kill(sig);
      const { code } = await c.exited;
      expect(code).toBe(2);
      const calls = c.stdout().split('\n').filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5));
      const healAt = calls.indexOf('healAll');
      expect(healAt).toBeGreaterThan(0);
      expect(calls.slice(healAt)).toEqual(['healAll', 'collectLogs', 'teardown']);
      expect(c.stdout()).not.toContain('DONE');

      const dir = path.join(store, sub, 'latest');
      const history = readHistory(path.join(dir, 'history.jsonl'));
      expect(checkWellFormed(history)).toMatchObject({ valid: true });
      expect(history.findLast((o) => o.process === 'nemesis')).toMatchObject({ f: 'stop-all', type: 'ok' });
      const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
      expect(results.valid).toBe('unknown');
      expect(results.checkers[0].summary).toContain(`interrupted by ${sig}`);
    });
  }

  it('SIGINT during setup waits for setup to finish, then tears down', async () => {
    const c = startController('setup', 60, { SLOW_SETUP_MS: '800' });
    await until(() => c.stdout().includes('CALL setup'));
    c.proc.kill('SIGINT');
    const { code } = await c.exited;
    expect(code).toBe(2);
    const calls = c.stdout().split('\n').filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5));
    expect(calls).toEqual(['setup', 'setup-done', 'collectLogs', 'teardown']);
    expect(readHistory(path.join(store, 'setup', 'latest', 'history.jsonl'))).toEqual([]);
  });
});
