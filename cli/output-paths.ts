// Where a command will write, checked before it does any work: a bad path is
// a user error at once, not after a whole test run.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../history/index.ts';

/** A file the command will write at the end (--junit): its folder must exist, and it must not be a folder itself. */
export function checkOutputFile(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!isDirectory(dir)) throw new UserError(`${flag} ${file}: the folder ${dir} does not exist`);
  if (isDirectory(file)) throw new UserError(`${flag} ${file}: is a folder; name a file`);
}

/** A folder the command writes into (--report, --store): made if missing; an existing file there is a user error. */
export function ensureOutputDir(dir: string, flag: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${flag} ${dir}: cannot make this folder (${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code ?? String(e)})`);
  }
  if (!isDirectory(dir)) throw new UserError(`${flag} ${dir}: is a file, not a folder`);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
