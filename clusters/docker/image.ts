// Offline images: no registry is reachable, so node images are built FROM
// scratch out of host binaries and their shared-library closure, and tagged
// by a hash of their content so a second run reuses them.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, posix, relative, sep } from 'node:path';
import { pack, type Header, type Pack } from 'tar-stream';
import { UserError } from '../../history/index.ts';
import { docker } from './engine.ts';
import { filesBelow, sharedLibraryClosure } from './closure.ts';

export interface ImageFile {
  /** Path on the host (symlinks are followed: the image gets a regular file). */
  from: string;
  /** Path inside the image; defaults to `from`. */
  to?: string;
  /** Also copy the libraries it links against (ELF executables and .so files). */
  elf?: boolean;
}

export interface ImageSpec {
  /** Short name, e.g. 'etcd'; the tag becomes faultline-<name>:<hash>. */
  name: string;
  files: ImageFile[];
  /** Host directories copied wholesale (dlopen'ed plugins), with their libraries. */
  pluginDirs?: string[];
  /** Host folders copied to `to` (default: the same path), minus the names in `exclude` at any depth, with the libraries their .so files need. */
  trees?: ImageTree[];
  /** Extra text files written into the image: path -> content. */
  texts?: Record<string, string>;
  /** Empty directories to create. */
  dirs?: string[];
  env?: Record<string, string>;
}

export interface ImageTree {
  from: string;
  to?: string;
  /** File or folder names left out wherever they occur below `from`, e.g. ["__pycache__", "test"]. */
  exclude?: string[];
}

export interface BuiltImage {
  tag: string;
  cached: boolean;
  ms: number;
}

export interface Entry {
  to: string;
  from?: string; // host file (content streamed)
  text?: string;
  mode: number;
  size: number;
}

/** Resolve a spec into the exact list of files the image will hold. */
export async function resolveEntries(spec: ImageSpec): Promise<Entry[]> {
  const entries = new Map<string, Entry>();
  const elfFiles: string[] = [];
  const add = (from: string, to: string) => {
    if (!existsSync(from)) throw new UserError(`image ${spec.name}: ${from} does not exist on this host`);
    const real = realpathSync(from);
    const st = statSync(real);
    entries.set(to, { to, from: real, mode: st.mode & 0o777, size: st.size });
  };
  for (const f of spec.files) {
    add(f.from, f.to ?? f.from);
    if (f.elf) elfFiles.push(f.from);
  }
  for (const dir of spec.pluginDirs ?? []) {
    for (const file of filesBelow(dir)) {
      add(file, file);
      if (file.endsWith('.so') || file.includes('.so.')) elfFiles.push(file);
    }
  }
  const treeLibDirs = new Set<string>();
  const treeLibs = new Set<string>();
  for (const tree of spec.trees ?? []) {
    if (!existsSync(tree.from)) throw new UserError(`image ${spec.name}: folder ${tree.from} does not exist on this host`);
    const to = tree.to ?? tree.from;
    for (const file of filesBelow(tree.from, tree.exclude)) {
      add(file, posix.join(to, relative(tree.from, file).split(sep).join('/')));
      if (file.endsWith('.so') || file.includes('.so.')) {
        elfFiles.push(file);
        treeLibDirs.add(dirname(file));
        treeLibs.add(realpathSync(file));
      }
    }
  }
  // A library a tree itself holds is already copied, to its place in the tree.
  for (const lib of await sharedLibraryClosure(elfFiles, [...treeLibDirs])) if (!entries.has(lib) && !treeLibs.has(realpathSync(lib))) add(lib, lib);
  for (const [to, text] of Object.entries(spec.texts ?? {})) {
    entries.set(to, { to, text, mode: 0o644, size: Buffer.byteLength(text) });
  }
  return [...entries.values()].sort((a, b) => a.to.localeCompare(b.to));
}

function dockerfile(spec: ImageSpec): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `ENV ${k}=${JSON.stringify(v)}`);
  return ['FROM scratch', 'COPY rootfs/ /', ...env, 'LABEL faultline.image="' + spec.name + '"', ''].join('\n');
}

/** Content hash of everything that ends up in the image. */
async function contentHash(spec: ImageSpec, entries: Entry[]): Promise<string> {
  const h = createHash('sha256');
  h.update(dockerfile(spec));
  h.update(JSON.stringify(spec.dirs ?? []));
  for (const e of entries) {
    h.update(`${e.to}\0${e.mode}\0${e.size}\0`);
    if (e.text !== undefined) h.update(e.text);
    else h.update(await fileHash(e.from!));
  }
  return h.digest('hex').slice(0, 16);
}

// Resolving a spec's files runs ldd on each binary (~0.5 s a run): remember the tag per spec,
// as long as every file it took keeps its size and mtime.
const tagCache = new Map<string, { tag: string; files: Array<[path: string, stamp: string]> }>();
const stamp = (path: string): string => {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.mtimeMs}` : 'gone';
};
const unchanged = (files: ReadonlyArray<[string, string]>): boolean => files.every(([path, was]) => stamp(path) === was);

// Hashing a 100 MB binary costs ~0.3 s: remember per (path, size, mtime).
const hashCache = new Map<string, string>();
async function fileHash(path: string): Promise<string> {
  const st = statSync(path);
  const key = `${path}:${st.size}:${st.mtimeMs}`;
  const known = hashCache.get(key);
  if (known) return known;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  const digest = h.digest('hex');
  hashCache.set(key, digest);
  return digest;
}

async function imageExists(tag: string): Promise<boolean> {
  try {
    await docker().getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * Add the image's root file system to `tar` under `prefix` (empty: at the
 * top): its folders (mode 1777), text files, and host files streamed, not
 * buffered (the node binary alone is ~100 MB). The SSH backend unpacks the
 * same tree on a host.
 */
export async function packRoot(tar: Pack, spec: ImageSpec, entries: readonly Entry[], prefix = ''): Promise<void> {
  const addEntry = (header: Partial<Header> & { name: string }, body?: Buffer | string) =>
    new Promise<void>((resolve, reject) => tar.entry(header, body ?? '', (err) => (err ? reject(err) : resolve())));
  const at = (path: string) => (prefix ? `${prefix}${path}` : path.replace(/^\//, ''));
  for (const dir of spec.dirs ?? []) await addEntry({ name: at(dir), type: 'directory', mode: 0o1777 });
  for (const e of entries) {
    if (e.text !== undefined) {
      await addEntry({ name: at(e.to), mode: e.mode }, e.text);
      continue;
    }
    await new Promise<void>((resolve, reject) => {
      const sink = tar.entry({ name: at(e.to), mode: e.mode, size: e.size }, (err) => (err ? reject(err) : resolve()));
      createReadStream(e.from!).on('error', reject).pipe(sink);
    });
  }
}

/** Build (or reuse) the image for a spec. Never pulls anything. */
export async function buildImage(spec: ImageSpec, opts: { force?: boolean } = {}): Promise<BuiltImage> {
  const started = performance.now();
  const key = JSON.stringify(spec);
  const known = tagCache.get(key);
  // The same spec again in this process (explore's many runs): its files unchanged means the same tag, without ldd.
  if (!opts.force && known && unchanged(known.files) && (await imageExists(known.tag))) return { tag: known.tag, cached: true, ms: performance.now() - started };
  const entries = await resolveEntries(spec);
  const tag = `faultline-${spec.name}:${await contentHash(spec, entries)}`;
  tagCache.set(key, { tag, files: entries.flatMap((e): Array<[string, string]> => (e.from ? [[e.from, stamp(e.from)]] : [])) });
  if (!opts.force && (await imageExists(tag))) return { tag, cached: true, ms: performance.now() - started };

  const tar = pack();
  const packing = (async () => {
    await new Promise<void>((resolve, reject) => tar.entry({ name: 'Dockerfile', mode: 0o644 }, dockerfile(spec), (err) => (err ? reject(err) : resolve())));
    await packRoot(tar, spec, entries, 'rootfs');
    tar.finalize();
  })();

  const stream = await docker().buildImage(tar as unknown as NodeJS.ReadableStream, {
    t: tag,
    labels: { 'faultline.image': spec.name },
    rm: true,
    forcerm: true,
  });
  const messages = await new Promise<Array<{ error?: string; stream?: string }>>((resolve, reject) =>
    docker().modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) =>
      err ? reject(err) : resolve(res),
    ),
  );
  await packing;
  const failure = messages.find((m) => m.error);
  if (failure) throw new Error(`building ${tag} failed: ${failure.error}`);
  return { tag, cached: false, ms: performance.now() - started };
}
