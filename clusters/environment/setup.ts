// `faultline setup`: make this machine able to run faultline, idempotently.
// Installs missing Debian packages (root on Debian only), starts dockerd in the
// background when the engine does not answer, and waits until it does.
import { existsSync, openSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { UserError } from '../../history/index.ts';
import { engineAnswers } from '../docker/engine.ts';
import { firstInstalledPath, HOST_REQUIREMENTS, missingRequirements } from './packages.ts';

export const DOCKERD_LOG = '/var/log/faultline-dockerd.log';

export interface SetupOptions {
  /** Also install Chromium for the browser tests. */
  withBrowser?: boolean;
  /** Also install what building etcd with failpoints needs (Go, gofail, Debian's etcd source). */
  withEtcdFailpoints?: boolean;
  /** Print progress lines (to stderr). */
  log?: (line: string) => void;
  /** How long to wait for dockerd to answer. */
  engineTimeoutMs?: number;
}

export interface SetupOutcome {
  installedPackages: string[];
  startedDockerd: boolean;
}

const isRoot = () => process.getuid?.() === 0;
const isDebian = () => existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

export async function ensureEnvironment(opts: SetupOptions = {}): Promise<SetupOutcome> {
  const log = opts.log ?? (() => {});
  const outcome: SetupOutcome = { installedPackages: [], startedDockerd: false };

  const missing = missingRequirements(opts.withBrowser ?? false, opts.withEtcdFailpoints ?? false);
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((m) => m.debianPackage))];
    if (!isRoot() || !isDebian()) {
      throw new UserError(
        `missing: ${missing.map((m) => m.what).join(', ')}`,
        `Install the Debian packages ${pkgs.join(' ')} (as root: apt-get install ${pkgs.join(' ')}),` +
          ' or the equivalent for your system, then run `faultline setup` again.',
      );
    }
    log(`installing ${pkgs.join(' ')} with apt-get (missing: ${missing.map((m) => m.what).join(', ')})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-q'], env);
    await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], env);
    outcome.installedPackages = pkgs;
    const still = missingRequirements(opts.withBrowser ?? false, opts.withEtcdFailpoints ?? false);
    if (still.length > 0) throw new UserError(`apt-get finished but still missing: ${still.map((m) => m.what).join(', ')}`);
  }

  if (!(await engineAnswers())) {
    const dockerd = firstInstalledPath(HOST_REQUIREMENTS[0]);
    if (!dockerd) throw new UserError('the Docker engine does not answer and dockerd is not installed');
    if (!isRoot()) {
      throw new UserError(
        'the Docker engine does not answer',
        'Start it (e.g. `sudo systemctl start docker`, or as root `dockerd &`) or set DOCKER_HOST, then try again.',
      );
    }
    log(`starting dockerd in the background (log: ${DOCKERD_LOG})`);
    startDockerd(dockerd);
    outcome.startedDockerd = true;
    await waitForEngine(opts.engineTimeoutMs ?? 60_000);
    log('Docker engine answers');
  }
  return outcome;
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const result = await execa(cmd, args, { env, reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    const tail = (result.all ?? '').split('\n').slice(-15).join('\n');
    throw new UserError(`${cmd} ${args.join(' ')} failed (exit ${result.exitCode}):\n${tail}`);
  }
}

function startDockerd(path: string): void {
  mkdirSync('/var/log', { recursive: true });
  const out = openSync(DOCKERD_LOG, 'a');
  // Detached with its own session so it outlives this process and its terminal.
  // Without our TMPDIR: a test run's temporary folder is removed when it ends, and a dockerd still using it fails
  // every later `docker exec` ("open <tmp>/runc-process…: no such file"); dockerd then takes its own default.
  const { TMPDIR: _ours, ...env } = process.env;
  const child = spawn(path, [], { detached: true, stdio: ['ignore', out, out], env });
  child.unref();
}

async function waitForEngine(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await engineAnswers(1000)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new UserError(`dockerd did not answer within ${timeoutMs / 1000} s`, `See its log: ${DOCKERD_LOG}`);
}
