// A system described by a definition file, end to end against the real
// engine: the etcd example through `faultline test --system` and `faultline
// system check`, and definitions that never come up, which must explain
// themselves and leave nothing behind.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../clusters/docker/engine.ts';
import { faultline } from '../support/cli.ts';

const ETCD = 'examples/etcd/system.json';

function runDirOf(store: string): string {
  const [test] = readdirSync(store).filter((d) => d !== 'latest');
  const [run] = readdirSync(join(store, test));
  return join(store, test, run);
}

/** Containers and networks of any run of the system named `name` (startCluster labels them faultline.db=<name>). */
async function objectsOf(name: string): Promise<{ containers: number; networks: number }> {
  const filters = { label: [`faultline.db=${name}`] };
  return { containers: (await docker().listContainers({ all: true, filters })).length, networks: (await docker().listNetworks({ filters })).length };
}

/** A definition in a temp folder: a toolbox-only node running `script`. */
function brokenDefinition(name: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-defined-'));
  const file = join(dir, 'system.yaml');
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'image: { files: [] }',
      'ports: { client: 9999 }',
      'node:',
      `  command: [/bin/sh, -c, ${JSON.stringify(script)}]`,
      'ready: { kind: tcp, port: client }',
      'readyTimeoutS: 4',
      'client: { protocol: etcd-v3, port: client }',
      'workloads: [register]',
      '',
    ].join('\n'),
  );
  return file;
}

describe('faultline test --system (a definition file)', () => {
  it('the etcd example under partitions and kills: valid, exit 0, a report, the definition in the run folder', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const r = await faultline(
      ['test', '--system', ETCD, '--workload', 'register', '--nemesis', 'partition,kill', '--time-limit', '20', '--nemesis-interval', '4s', '--nodes', '3', '--rate', '100', '--seed', '11', '--store', store],
      { timeoutMs: 170_000 },
    );
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const dir = runDirOf(store);
    expect(dir).toMatch(/etcd-defined-register-partition.kill/);
    const test = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8'));
    expect(test.db).toBe('etcd-defined');
    expect(test.options.system).toMatch(/examples\/etcd\/system\.json$/);
    expect(test.options.definition.name).toBe('etcd-defined');
    expect(JSON.parse(readFileSync(join(dir, 'system.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(ETCD, 'utf8')));
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    const checkers = Object.fromEntries(results.checkers.map((c: { checker: string; valid: unknown }) => [c.checker, c.valid]));
    expect(checkers).toMatchObject({ linearizability: true, divergence: true, faults: true });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<html');
    for (const n of ['n1', 'n2', 'n3']) expect(existsSync(join(dir, 'nodes', n, 'etcd-defined.log'))).toBe(true);
    expect(await objectsOf('etcd-defined')).toEqual({ containers: 0, networks: 0 });
  });

  it('faultline system check on the etcd example: every step ok, exit 0', async () => {
    const r = await faultline(['system', 'check', ETCD]);
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    for (const step of ['definition', 'image', 'start', 'leader', 'state hash', 'client']) expect(out).toMatch(new RegExp(`ok {4}${step}: `));
    expect(out).toMatch(/leader: n1 /);
    expect(await objectsOf('etcd-defined')).toEqual({ containers: 0, networks: 0 });
  });

  it('a node that never becomes ready: exit 2 naming readiness and the log tail, nothing left behind', async () => {
    const file = brokenDefinition('never-ready', 'echo never-ready starting up; exec sleep 1000');
    const check = await faultline(['system', 'check', file]);
    expect(check.exitCode).toBe(2);
    const err = String(check.stderr);
    expect(err).toMatch(/never-ready did not come up on one node/);
    expect(err).toMatch(/not ready after 4 s \(readyTimeoutS\)/);
    expect(err).toMatch(/n1: not ready: TCP connect to port 9999: connection refused/);
    expect(err).toContain('never-ready starting up');
    expect(await objectsOf('never-ready')).toEqual({ containers: 0, networks: 0 });

    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const test = await faultline(['test', '--system', file, '--nodes', '3', '--nemesis', 'none', '--time-limit', '5', '--store', store]);
    expect(test.exitCode).toBe(2);
    expect(String(test.stderr)).toMatch(/not ready after 4 s/);
    expect(String(test.stderr)).toContain('never-ready starting up');
    expect(await objectsOf('never-ready')).toEqual({ containers: 0, networks: 0 });
  });

  it('a node whose process exits: refused at once with its last words', async () => {
    const file = brokenDefinition('exits-at-once', 'echo cannot open config file >&2; exit 3');
    const started = Date.now();
    const check = await faultline(['system', 'check', file]);
    expect(check.exitCode).toBe(2);
    expect(String(check.stderr)).toMatch(/its process exited on n1/);
    expect(String(check.stderr)).toContain('cannot open config file');
    // Not the whole readyTimeoutS: the process is gone, waiting cannot help (the image build is cached by now).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await objectsOf('exits-at-once')).toEqual({ containers: 0, networks: 0 });
  });
});
