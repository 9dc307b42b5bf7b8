// image.prepare: the definition's build step runs in the definition's folder
// before the image is built; a failure names the command, its exit status and
// the end of its output; files the image names must exist once it has run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../clusters/defined/load.ts';
import { runPrepare } from '../../clusters/defined/prepare.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A definition in a fresh folder whose image is built from `kvd`, made by `prepare`. */
function definition(prepare: string[] | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-prepare-'));
  dirs.push(dir);
  const def = {
    name: 'kvd',
    image: { ...(prepare ? { prepare } : {}), files: ['kvd'] },
    ports: { client: 8000 },
    node: { command: ['/kvd'] },
    client: { protocol: 'http-kv', port: 'client', read: { method: 'GET', path: '/{key}', value: '' }, write: { method: 'PUT', path: '/{key}', body: '{value}' }, cas: { path: '/{key}?from={from}', body: '{to}', mismatch: { status: 412 } } },
    workloads: ['register'],
  };
  writeFileSync(join(dir, 'system.json'), JSON.stringify(def));
  return join(dir, 'system.json');
}

describe('image.prepare', () => {
  it('lets the image name a file prepare makes, and makes it in the definition folder', () => {
    const loaded = loadDefinition(definition(['sh', '-c', 'echo built > kvd']));
    runPrepare(loaded);
    expect(() => runPrepare(loaded)).not.toThrow(); // runs again before every test
  });

  it('a missing file without prepare is refused when the definition is loaded', () => {
    expect(() => loadDefinition(definition(undefined))).toThrow(/kvd does not exist on this machine/);
  });

  it('a failing build stops with its exit status and the end of its output', () => {
    const loaded = loadDefinition(definition(['sh', '-c', 'echo compiling; echo "main.go:3: undefined: x" >&2; exit 3']));
    expect(() => runPrepare(loaded)).toThrow(/image\.prepare `sh -c "echo compiling; .*` \(in .*\) failed \(exit 3\):\n  compiling\n  main\.go:3: undefined: x/);
  });

  it('a program that is not there, or a build that makes nothing, is said so', () => {
    expect(() => runPrepare(loadDefinition(definition(['no-such-compiler-here', 'build'])))).toThrow(/could not start: no program no-such-compiler-here/);
    expect(() => runPrepare(loadDefinition(definition(['true'])))).toThrow(/ran, but the image names what is not there: .*kvd/);
  });
});
