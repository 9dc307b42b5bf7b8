// Run the faultline CLI as a user would, for end-to-end tests.
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${REPO_ROOT}bin/faultline.mjs`;

export function faultline(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): ResultPromise {
  return execa('node', [CLI, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...opts.env, FORCE_COLOR: '0' },
    stdin: 'ignore',
  });
}
