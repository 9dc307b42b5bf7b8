// A definition's build step (image.prepare): a command run on this machine in
// the definition's folder before the node image is built, so users who
// compile their system (go build, cargo build, a bundler) name the result in
// image.files and never copy it by hand. Synchronous because a DB's image()
// is; the build it stands for has to finish before anything else can start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { UserError } from '../../history/index.ts';
import { hostPath } from './check.ts';
import type { LoadedDefinition } from './load.ts';

/** A build that takes longer than this is stuck. */
const PREPARE_TIMEOUT_MS = 10 * 60_000;
const OUTPUT_TAIL_LINES = 20;

const shell = (argv: readonly string[]): string => argv.map((a) => (/^[\w./:=@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-OUTPUT_TAIL_LINES).map((l) => `  ${l}`).join('\n');
}

/**
 * Run image.prepare (nothing when there is none), then check that the host
 * files and folders the image names exist: the loader lets those be missing
 * when prepare is there to make them. Throws a UserError with the command's
 * exit status and the end of its output.
 */
export function runPrepare(loaded: LoadedDefinition): void {
  const { def, dir, file } = loaded;
  if (!('files' in def.image) || !def.image.prepare) return;
  const argv = def.image.prepare;
  const shown = `${file}: image.prepare \`${shell(argv)}\` (in ${dir})`;
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: PREPARE_TIMEOUT_MS, maxBuffer: 64 << 20 });
  if (r.error) {
    const notFound = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(`${shown} ${notFound ? `could not start: no program ${argv[0]}` : `failed: ${r.error.message}`}`, notFound ? 'Name the program by its path, or install it.' : undefined);
  }
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    throw new UserError(`${shown} failed (${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`})${output.trim() ? `:\n${tail(output)}` : ', printing nothing'}`);
  }
  const named = [...def.image.files, ...def.image.dirs].map((f) => (typeof f === 'string' ? f : f.from));
  const missing = named.map((f) => hostPath(dir, f)).filter((p) => !existsSync(p));
  if (missing.length) throw new UserError(`${shown} ran, but the image names what is not there: ${missing.join(', ')}`);
}
