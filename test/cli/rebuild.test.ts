// A stale bundle never runs: bin/faultline.mjs compares the sources with the
// snapshot dist/build.json took (build/freshness.mjs) and rebuilds first, or
// fails loudly when the sources do not build. On a copy of the tree in a
// temporary folder, so that no real source is touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.ts';

/** What the bundle is built from, and what runs it (build/freshness.mjs watches these folders). */
const TREE = ['bin', 'build', 'history', 'checkers', 'generator', 'raftkv', 'disk', 'clusters', 'nemeses', 'workloads', 'harness', 'reports', 'cli', 'package.json', 'tsconfig.json'];

let root: string;

const run = (...args: string[]) =>
  execa('node', [path.join(root, 'bin/faultline.mjs'), ...args], { cwd: root, reject: false, env: { FORCE_COLOR: '0' }, timeout: 120_000 });
const REBUILT = /faultline: building the CLI bundle \((.*)\)\.\.\./;

/** Rewrite a file of the copy, its mtime `seconds` away from now (no waiting for the clock to move). */
function edit(rel: string, change: (text: string) => string, seconds: number): void {
  const file = path.join(root, rel);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  const t = Date.now() / 1000 + seconds;
  fs.utimesSync(file, t, t);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-rebuild-'));
  for (const rel of TREE) fs.cpSync(path.join(REPO_ROOT, rel), path.join(root, rel), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('bin/faultline.mjs and a stale bundle', () => {
  it('builds on first use, then starts from the bundle as long as nothing changed', async () => {
    const first = await run('--version');
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(REBUILT);
    expect(first.stderr.match(REBUILT)![1]).toBe('no build yet');
    const info = JSON.parse(fs.readFileSync(path.join(root, 'dist/build.json'), 'utf8')) as { dir: string; entry: string };
    expect(fs.existsSync(path.join(root, 'dist', info.dir, info.entry))).toBe(true);
    const again = await run('--version');
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
  }, 120_000);

  it('a source edited (newer mtime) is rebuilt before it runs: the new code runs', async () => {
    edit('cli/commands/index.ts', (t) => t.replace("'Browse the store:", "'Browse THE STORE:"), 60);
    const r = await run('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stderr.match(REBUILT)?.[1]).toBe('cli/commands/index.ts changed');
    expect(r.stdout).toContain('Browse THE STORE:');
  }, 120_000);

  it('package.json with an older mtime counts as changed too', async () => {
    edit('package.json', (t) => t.replace(/"version": "[^"]+"/, '"version": "9.9.9-rebuilt"'), -3600);
    const r = await run('--version');
    expect(r.stderr.match(REBUILT)?.[1]).toBe('package.json changed');
    expect(r.stdout).toBe('9.9.9-rebuilt');
  }, 120_000);

  it('sources that do not build: exit 2 with the compiler error, and no old code runs', async () => {
    edit('cli/main.ts', (t) => `${t}\nconst broken = ;\n`, 120);
    const r = await run('--version');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the CLI bundle could not be built');
    expect(r.stderr).toContain('cli/main.ts');
  }, 120_000);
});
