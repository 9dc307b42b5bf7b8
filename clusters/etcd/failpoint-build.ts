// etcd with its gofail failpoints compiled in, built offline from Debian's
// etcd 3.4.23 source (golang-etcd-server-dev) against Debian's Go libraries
// (not the versions upstream pins in go.mod), and cached like node images:
// under a hash of what went in, so a second `faultline setup
// --etcd-failpoints` (or a run) finds it and a changed source or recipe
// builds anew.
//
//   copy the tree into a scratch GOPATH -> gofail enable <packages>
//   -> GO111MODULE=off CGO_ENABLED=0 go build   (a static binary, ~30 MB)
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { UserError } from '../../history/index.ts';
import { HOST_REQUIREMENTS, isInstalled } from '../environment/packages.ts';

export const ETCD_SOURCE = '/usr/share/gocode/src/go.etcd.io/etcd';
const GOCODE = '/usr/share/gocode';
const GOFAIL_RUNTIME = `${GOCODE}/src/go.etcd.io/gofail/runtime`;

/**
 * The build recipe; it is part of the cache key. gofail runs with GOPATH set,
 * or it names the failpoints by directory (etcdserver/raftAfterSave) instead
 * of by import path (go.etcd.io/etcd/etcdserver/raftAfterSave).
 */
const RECIPE = {
  version: 1,
  gofailEnable: ['etcdserver/', 'etcdserver/api/rafthttp/', 'mvcc/backend/'],
  goBuild: ['build', '-o', 'etcd', '.'],
  env: { GO111MODULE: 'off', CGO_ENABLED: '0' },
};

/** The project's git-ignored cache folder (.faultline/), from the sources and from the CLI bundle in dist/<build>/ alike. */
export const FAILPOINT_CACHE = fileURLToPath(new URL('../../.faultline/etcd-failpoints/', import.meta.url));

export interface FailpointBuild {
  path: string;
  hash: string;
  cached: boolean;
  ms: number;
  bytes: number;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Debian's golang-* package versions from dpkg's status file: the libraries the build links. Pure. */
export function golangPackageVersions(dpkgStatus: string): string[] {
  const out: string[] = [];
  for (const stanza of dpkgStatus.split('\n\n')) {
    const name = /^Package: (golang-\S+)$/m.exec(stanza)?.[1];
    const version = /^Version: (\S+)$/m.exec(stanza)?.[1];
    if (name && version && /^Status: .* installed$/m.test(stanza)) out.push(`${name}=${version}`);
  }
  return out.sort();
}

/** What the build needs (environment/packages.ts) that is missing on this host, as "what (package)". */
export function missingForFailpointBuild(): string[] {
  return HOST_REQUIREMENTS.filter((r) => r.failpointsOnly && !isInstalled(r)).map((r) => `${r.what} (${r.debianPackage})`);
}

/** Hash of the etcd source tree, gofail's runtime, the Go toolchain and libraries, and the recipe (~50 ms). */
export function failpointBuildHash(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(RECIPE));
  h.update(execaSync('go', ['version'], { reject: false }).stdout);
  h.update(golangPackageVersions(existsSync('/var/lib/dpkg/status') ? readFileSync('/var/lib/dpkg/status', 'utf8') : '').join('\n'));
  for (const root of [ETCD_SOURCE, GOFAIL_RUNTIME]) {
    for (const file of filesBelow(root)) {
      h.update(`${relative(root, file)}\0`);
      h.update(readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 16);
}

const binaryOf = (hash: string): string => join(FAILPOINT_CACHE, hash, 'etcd');

/** The failpoint build for the sources as installed now, if it was built; undefined when missing or out of date. */
export function findFailpointBuild(): string | undefined {
  if (missingForFailpointBuild().length > 0) return undefined;
  const path = binaryOf(failpointBuildHash());
  return existsSync(path) ? path : undefined;
}

/** Build (or find) the failpoint build: about 25 s on two cores, once per source and recipe. */
export async function buildFailpointEtcd(log: (line: string) => void = () => {}): Promise<FailpointBuild> {
  const missing = missingForFailpointBuild();
  if (missing.length > 0) throw new UserError(`cannot build etcd with failpoints: missing ${missing.join(', ')}`, 'Run `faultline setup --etcd-failpoints` (as root on Debian).');
  const t0 = performance.now();
  const hash = failpointBuildHash();
  const path = binaryOf(hash);
  if (existsSync(path)) return { path, hash, cached: true, ms: performance.now() - t0, bytes: statSync(path).size };

  mkdirSync(FAILPOINT_CACHE, { recursive: true });
  const scratch = mkdtempSync(join(FAILPOINT_CACHE, 'build-'));
  try {
    const tree = join(scratch, 'src/go.etcd.io/etcd');
    log(`copying ${ETCD_SOURCE} into a scratch GOPATH`);
    cpSync(ETCD_SOURCE, tree, { recursive: true });
    const env = { ...process.env, ...RECIPE.env, GOPATH: `${scratch}:${GOCODE}` };
    const run = async (cmd: string, args: string[]) => {
      const r = await execa(cmd, args, { cwd: tree, env, reject: false, all: true, stdin: 'ignore' });
      if (r.exitCode !== 0) throw new UserError(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}):\n${(r.all ?? '').split('\n').slice(-20).join('\n')}`);
    };
    log(`gofail enable ${RECIPE.gofailEnable.join(' ')}`);
    await run('gofail', ['enable', ...RECIPE.gofailEnable]);
    log('go build (static, against Debian\'s Go libraries)');
    await run('go', RECIPE.goBuild);
    mkdirSync(join(FAILPOINT_CACHE, hash), { recursive: true });
    const bytes = statSync(join(tree, 'etcd')).size;
    const ms = performance.now() - t0;
    writeFileSync(join(FAILPOINT_CACHE, hash, 'build.json'), `${JSON.stringify({ hash, source: ETCD_SOURCE, recipe: RECIPE, ms: Math.round(ms), bytes, builtAt: new Date().toISOString() }, null, 2)}\n`);
    // Renamed into place last: a build cut short leaves no binary that looks finished.
    renameSync(join(tree, 'etcd'), path);
    return { path, hash, cached: false, ms, bytes };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
