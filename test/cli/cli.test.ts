// The built CLI (bin/faultline.mjs -> dist/, build/cli.mjs) end to end:
// --version and --help answered without loading any command, each command's
// own --help, and the bundle reaching the verdicts the sources reach, its
// worker thread included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTable } from '../../cli/commands/index.ts';
import { checkLinearizability } from '../../checkers/linearizability/check.ts';
import { prepare } from '../../checkers/linearizability/prepare.ts';
import type { PartitionResult } from '../../checkers/linearizability/result.ts';
import type { WorkerInput, WorkerMessage } from '../../checkers/linearizability/worker.ts';
import { modelByName } from '../../checkers/models/registry.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import { corpusDir } from '../../testkit/corpus.ts';
import { CLI, faultline, REPO_ROOT } from '../support/cli.ts';

const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const etcd = (n: string) => path.join(corpusDir, 'porcupine/etcd', `etcd_${n}.log`);

let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-cli-'));
  // Brings the bundle up to date if a source changed (the first run rebuilds it).
  const r = await faultline(['--version']);
  expect(r.exitCode).toBe(0);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The files a command line loads (module loader hook), as paths relative to the repository. */
async function modulesLoaded(args: string[]): Promise<{ exitCode: number | undefined; files: string[] }> {
  const log = path.join(tmp, `loaded-${args.join('_').replace(/\W/g, '')}.txt`);
  fs.writeFileSync(path.join(tmp, 'hooks.mjs'), [
    "import { appendFileSync } from 'node:fs';",
    'export async function load(url, context, nextLoad) {',
    "  if (url.startsWith('file:')) appendFileSync(process.env.FAULTLINE_LOAD_LOG, url + '\\n');",
    '  return nextLoad(url, context);',
    '}',
  ].join('\n'));
  fs.writeFileSync(path.join(tmp, 'register.mjs'), "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n");
  const r = await execa('node', ['--import', pathToFileURL(path.join(tmp, 'register.mjs')).href, CLI, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    env: { FORCE_COLOR: '0', FAULTLINE_LOAD_LOG: log },
  });
  const files = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((u) => path.relative(REPO_ROOT, new URL(u).pathname)) : [];
  return { exitCode: r.exitCode, files };
}

/** A command's own chunk in the bundle (esbuild names it after the module: check-<hash>.mjs). */
const COMMAND_CHUNK = /^dist\/[^/]+\/(setup|doctor|cluster|clean|analyze|test|serve|check|repro)-[A-Z0-9]+\.mjs$/;

describe('faultline --version and --help', () => {
  it('--version prints the package version and exits 0', async () => {
    const r = await faultline(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
  });

  it('--help lists every command but the hidden helpers and exits 0', async () => {
    const r = await faultline(['--help']);
    expect(r.exitCode).toBe(0);
    for (const c of commandTable) {
      if (c.describe === false) expect(r.stdout).not.toContain(`faultline ${c.command}`);
      else expect(r.stdout).toContain(`faultline ${c.command}`);
    }
    expect(r.stdout).toContain('--version');
  });

  it('neither loads a command module, an npm package from node_modules or a TypeScript source', async () => {
    for (const args of [['--version'], ['--help']]) {
      const { exitCode, files } = await modulesLoaded(args);
      expect(exitCode, args.join(' ')).toBe(0);
      expect(files.some((f) => /^dist\/[^/]+\/faultline\.mjs$/.test(f)), `${args}: runs the bundle`).toBe(true);
      expect(files.filter((f) => COMMAND_CHUNK.test(f) || f.startsWith('node_modules/') || f.endsWith('.ts')), args.join(' ')).toEqual([]);
    }
  });

  it("a command's --help loads that command, and shows its full options", async () => {
    const { exitCode, files } = await modulesLoaded(['check', '--help']);
    expect(exitCode).toBe(0);
    expect(files.filter((f) => COMMAND_CHUNK.test(f)).map((f) => path.basename(f).split('-')[0])).toEqual(['check']);
    const r = await faultline(['check', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('faultline check <files..>');
    for (const option of ['--checker', '--model', '--format', '--timeout', '--memory', '--initial', '--nil-read', '--consistency-models', '--workers', '--json', '--report', '--junit']) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toContain('Examples:');
  });

  it('cluster keeps its subcommands; bad input is exit 2', async () => {
    const cluster = await faultline(['cluster', '--help']);
    expect(cluster.exitCode).toBe(0);
    for (const sub of ['up', 'status', 'down']) expect(cluster.stdout).toContain(`faultline cluster ${sub}`);
    const unknown = await faultline(['frobnicate']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Unknown argument: frobnicate');
    const none = await faultline([]);
    expect(none.exitCode).toBe(2);
    const badOption = await faultline(['check', etcd('000'), '--model', 'nope']);
    expect(badOption.exitCode).toBe(2);
    expect(badOption.stderr).toContain("unknown model 'nope'");
  });
});

describe('the bundle checks as the sources do', () => {
  it('same verdicts and summaries as cli/main.ts run through tsx, same exit codes', async () => {
    const files = [etcd('000'), etcd('002')]; // INVALID, valid
    const bundled = await faultline(['check', ...files, '--json']);
    const fromSource = await faultline(['check', ...files, '--json'], { env: { FAULTLINE_FROM_SOURCE: '1' } });
    expect(bundled.exitCode).toBe(1);
    expect(fromSource.exitCode).toBe(1);
    const verdicts = (stdout: unknown) => (JSON.parse(String(stdout)) as { file: string; valid: unknown; result: { summary: string } }[]).map((o) => [o.file, o.valid, o.result.summary]);
    expect(verdicts(bundled.stdout)).toEqual(verdicts(fromSource.stdout));
    expect(verdicts(bundled.stdout).map((v) => v[1])).toEqual([false, true]);
  }, 60_000);

  it("the bundle's linearizability worker runs without tsx and finds what the sources find", async () => {
    const info = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist/build.json'), 'utf8')) as { dir: string; worker: string };
    const workerFile = path.join(REPO_ROOT, 'dist', info.dir, info.worker);
    for (const file of ['c10-ok.txt', 'c10-bad.txt']) {
      const history = readHistoryFile(path.join(corpusDir, 'porcupine/kv', file));
      const model = modelByName('kv')!;
      const prepared = prepare(history, model, { partition: true });
      const input: WorkerInput = {
        spec: { name: 'kv' },
        partitioned: true,
        partitions: prepared.partitions.map((p) => ({ key: p.key, ops: p.ops })),
        maxBytes: 256 * 2 ** 20,
        timeoutMs: 60_000,
        cancel: new Int32Array(new SharedArrayBuffer(4)),
      };
      const results = await new Promise<PartitionResult[]>((resolve, reject) => {
        const got: PartitionResult[] = [];
        const w = new Worker(workerFile, { workerData: input });
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'result') got.push(m.result);
          else void w.terminate().then(() => resolve(got));
        });
        w.on('error', reject);
      });
      const expected = checkLinearizability(history, model);
      const byKey = (rs: readonly { key: string | null; valid: unknown }[]) => new Map(rs.map((r) => [r.key, r.valid]));
      const fromWorker = byKey(results);
      // The worker stops at the first refutation; every partition it did answer agrees with the sources.
      for (const [key, valid] of fromWorker) expect(valid, `${file} key ${key}`).toBe(byKey(expected.details.partitions).get(key));
      if (expected.valid === true) expect(fromWorker.size).toBe(prepared.partitions.length);
      else expect([...fromWorker.values()]).toContain(false);
    }
  }, 60_000);
});
