// Which files a set of host binaries needs at run time: the binaries
// themselves plus every shared library the dynamic loader would map (ldd).
import { execa } from 'execa';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../history/index.ts';

/** Parse `ldd a b c` output: the absolute paths of the libraries, loader included. */
export function parseLdd(output: string): string[] {
  const libs = new Set<string>();
  for (const line of output.split('\n')) {
    // "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"  or  "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
    const arrow = line.match(/=>\s+(\/\S+)\s+\(/);
    const bare = line.match(/^\s+(\/\S+)\s+\(/);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) libs.add(path);
  }
  return [...libs];
}

/**
 * Shared libraries needed by the given ELF files (static ones need none).
 * `searchDirs` are also searched: a copied runtime's libraries find each
 * other at run time (libjvm.so through the java launcher, an $ORIGIN rpath)
 * where a bare ldd cannot see them.
 */
export async function sharedLibraryClosure(files: string[], searchDirs: readonly string[] = []): Promise<string[]> {
  if (files.length === 0) return [];
  const env = searchDirs.length ? { LD_LIBRARY_PATH: [...searchDirs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {};
  const result = await execa('ldd', files, { reject: false, env });
  const notFound = result.stdout.split('\n').filter((l) => l.includes('=> not found'));
  if (notFound.length > 0) throw new UserError(`ldd cannot resolve libraries: ${notFound.map((l) => l.trim()).join('; ')}`);
  return parseLdd(result.stdout);
}

/** Every regular file below a directory (for dlopen'ed plugins such as xtables modules), skipping the names in `exclude` at any depth. */
export function filesBelow(dir: string, exclude: readonly string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (exclude.includes(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesBelow(p, exclude));
    else if (st.isFile()) out.push(p);
  }
  return out;
}
