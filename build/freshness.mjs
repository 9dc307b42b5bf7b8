// Is the CLI bundle in dist/ built from the sources as they are now? Checked by
// bin/faultline.mjs on every start, so it must cost a few milliseconds: no
// hashing, just the stat of every file under the source folders compared with
// the snapshot the build took before it read them (dist/build.json).
//
// A file edited, added or removed (even with an older mtime: any difference
// counts), package.json, tsconfig.json, the build scripts themselves, and any
// other file the bundle was made from (metafile inputs outside these folders,
// e.g. the npm packages inlined into it) make the build stale.
//
// Plain Node ESM (no TypeScript, no dependencies): it runs before anything is built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const BUILD_INFO = path.join(DIST, 'build.json');
/** Bumped when build.json or the bundle layout changes: an older dist/ is simply rebuilt. */
export const SCHEMA = 1;

/** Folders whose every file is watched (recursively; dot-files and node_modules skipped). */
export const SOURCE_DIRS = ['history', 'checkers', 'generator', 'raftkv', 'disk', 'clusters', 'nemeses', 'workloads', 'harness', 'reports', 'cli', 'build'];
/** Single files at the root that the build depends on. */
export const SOURCE_FILES = ['package.json', 'tsconfig.json'];

/** [mtimeMs, size] of a file, or undefined when it does not exist. */
function fingerprint(file) {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? [st.mtimeMs, st.size] : undefined;
}

/**
 * Every watched file, as root-relative path -> [mtimeMs, size]. Visits
 * `SOURCE_DIRS` and `SOURCE_FILES`; `visit` may stop the walk early by
 * returning a string (the reason), which is then returned.
 */
function walk(root, visit) {
  const base = withSlash(root);
  for (const rel of SOURCE_FILES) {
    const reason = visit(rel, fingerprint(base + rel));
    if (reason) return reason;
  }
  const stack = [...SOURCE_DIRS];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(base + dir, { withFileTypes: true });
    } catch {
      continue; // a folder that does not exist (yet) holds no sources
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) stack.push(rel);
      else if (e.isFile() || e.isSymbolicLink()) {
        const reason = visit(rel, fingerprint(base + rel));
        if (reason) return reason;
      }
    }
  }
  return undefined;
}

/** Paths are joined by concatenation (path.join normalises each one: measurable at 300 files). */
const withSlash = (dir) => (dir.endsWith(path.sep) ? dir : dir + path.sep);

/** The current state of the watched files (taken by the build before it reads them). */
export function snapshotSources(root = ROOT) {
  const files = {};
  walk(root, (rel, fp) => {
    if (fp) files[rel] = fp;
  });
  return files;
}

/** Fingerprints of extra files (root-relative), e.g. bundled npm package files. */
export function snapshotFiles(root, rels) {
  const files = {};
  for (const rel of rels) {
    const fp = fingerprint(path.join(root, rel));
    if (fp) files[rel] = fp;
  }
  return files;
}

/** dist/build.json, or undefined when there is none (or it is unreadable or of another schema). */
export function readBuildInfo(root = ROOT) {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build.json'), 'utf8'));
    return info && info.schema === SCHEMA ? info : undefined;
  } catch {
    return undefined;
  }
}

const same = (a, b) => a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];

/**
 * Why the build described by `info` is stale, or undefined when it is fresh.
 * Stops at the first difference.
 */
export function staleReason(info, root = ROOT) {
  if (!info) return 'no build yet';
  const entry = path.join(root, 'dist', info.dir, info.entry);
  if (!fs.existsSync(entry)) return `${path.relative(root, entry)} is missing`;
  const base = withSlash(root);
  const recorded = info.sources;
  let seen = 0;
  const reason = walk(root, (rel, fp) => {
    const was = recorded[rel];
    if (fp === undefined) return was ? `${rel} was removed` : undefined;
    if (!was) return `${rel} is new`;
    if (!same(fp, was)) return `${rel} changed`;
    seen++;
    return undefined;
  });
  if (reason) return reason;
  if (seen !== Object.keys(recorded).length) {
    const gone = Object.keys(recorded).find((rel) => fingerprint(base + rel) === undefined);
    return `${gone ?? 'a source file'} was removed`;
  }
  for (const [rel, was] of Object.entries(info.extras ?? {})) {
    if (!same(fingerprint(base + rel), was)) return `${rel} changed`;
  }
  return undefined;
}

/**
 * Mark dist/<dir> as in use by this process until it exits, so that a newer
 * build does not remove files this process may still load (a command's chunk,
 * the worker) from under it. Best effort: a read-only dist/ is left alone.
 */
export function holdBuild(info, root = ROOT) {
  const marker = path.join(root, 'dist', info.dir, `.in-use-${process.pid}`);
  try {
    fs.writeFileSync(marker, '');
  } catch {
    return;
  }
  process.once('exit', () => fs.rmSync(marker, { force: true }));
}

/** Whether a live process holds the build folder `dir` (holdBuild; markers of dead processes do not count). */
export function buildInUse(dir) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((name) => {
    const m = /^\.in-use-(\d+)$/.exec(name);
    if (!m) return false;
    try {
      process.kill(Number(m[1]), 0);
      return true;
    } catch (err) {
      return err.code === 'EPERM'; // alive, someone else's
    }
  });
}

/** The fresh bundle's entry (a file URL), or the reason there is none. */
export function currentBuild(root = ROOT) {
  const info = readBuildInfo(root);
  const reason = staleReason(info, root);
  return reason ? { reason } : { entry: pathToFileURL(path.join(root, 'dist', info.dir, info.entry)).href, info };
}
