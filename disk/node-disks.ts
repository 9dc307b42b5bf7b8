// One lazyfs per node of a run, mounted on the host before the containers
// exist and bind-mounted into each as the parent of the DB's data
// directory (the parent, so a fresh start can still delete and recreate the
// data directory itself: a mount point cannot be removed).
//
//   <runDir>/disk/<node>/backing   what is durable (plus what is not yet undone)
//   <runDir>/disk/<node>/mnt       the lazyfs mount the container sees
//   $TMPDIR/faultline-disk-<run>-<node>.sock   its control socket (short path: unix sockets allow ~108 bytes)
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { UserError } from '../history/index.ts';
import { assertLazyFsAvailable, LAZYFS_FSNAME, lazyMounts, mountLazyFs, unmountLazyFs, unmountPath, type LazyMount } from './lazy-mount.ts';

export interface NodeDisks {
  /** The docker bind (host:container) each node's container gets. */
  binds: Record<string, string>;
  /** Unmount every node's lazyfs and stop its daemon; idempotent. */
  unmount(): Promise<void>;
}

/** The mount names of a run: cleanup (`faultline clean`) finds a dead run's mounts by them. */
const runFsname = (runId: string): string => `${LAZYFS_FSNAME}-${runId}-`;

/** Where the lose-unsynced nemesis asks a node's lazyfs to drop. */
export const diskControlPath = (runId: string, node: string): string => join(tmpdir(), `faultline-disk-${runId}-${node}.sock`);

/** The container folder lazyfs is mounted at for a DB whose data lives in `dataDir`. */
export function diskMountTarget(dataDir: string | undefined, dbName: string): string {
  if (!dataDir) throw new UserError(`--nemesis lose-unsynced needs the data directory of ${dbName}, and it declares none`, 'A defined system declares it as node.dataDir.');
  const parent = posix.dirname(posix.normalize(dataDir));
  if (parent === '/') throw new UserError(`--nemesis lose-unsynced: ${dbName}'s data directory ${dataDir} sits at the root; lazyfs is mounted on its parent`, 'Declare a data directory one level deeper, e.g. /data/db.');
  return parent;
}

/** Mount a lazyfs per node; on any failure, unmount what was mounted and throw. */
export async function mountNodeDisks(opts: { runId: string; runDir: string; nodes: readonly string[]; target: string }): Promise<NodeDisks> {
  await assertLazyFsAvailable();
  const mounts: LazyMount[] = [];
  const unmount = async (): Promise<void> => {
    await Promise.all(mounts.splice(0).map((m) => unmountLazyFs(m)));
  };
  try {
    for (const node of opts.nodes) {
      const dir = join(opts.runDir, 'disk', node);
      mounts.push(await mountLazyFs(join(dir, 'backing'), join(dir, 'mnt'), diskControlPath(opts.runId, node), `${runFsname(opts.runId)}${node}`));
    }
  } catch (e) {
    await unmount();
    throw e;
  }
  const binds = Object.fromEntries(opts.nodes.map((node, i) => [node, `${mounts[i].mountpoint}:${opts.target}`]));
  return { binds, unmount };
}

/**
 * Mount point -> parent pid of the lazyfs daemon serving it, from /proc: a
 * live controller is its daemons' parent; a dead one's daemons were handed
 * to init (pid 1).
 */
function daemonParents(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => a.endsWith('lazyfs.py'))) continue;
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      const at = argv.findIndex((a) => a.endsWith('lazyfs.py'));
      out.set(argv[at + 2], ppid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * `faultline clean`: unmount the lazyfs of every run not in `keep` (runs
 * whose controller is alive) whose daemon has no controller left (a run
 * still setting up has mounts before it has containers: its daemons' parent
 * is alive). The run id is the mount name between the prefix and the node.
 */
export async function unmountLeftoverDisks(keep: ReadonlySet<string>): Promise<{ runId: string; mountpoint: string }[]> {
  const prefix = `${LAZYFS_FSNAME}-`;
  const parents = daemonParents();
  const left = lazyMounts(prefix)
    .map((m) => ({ runId: m.fsname.slice(prefix.length).replace(/-[^-]+$/, ''), mountpoint: m.mountpoint }))
    .filter((m) => !keep.has(m.runId) && (parents.get(m.mountpoint) ?? 1) === 1);
  for (const m of left) await unmountPath(m.mountpoint);
  return left;
}

/** Unmount whatever lazyfs a run left (its controller died): `faultline clean`. The daemons exit with their mount. */
export async function unmountRunDisks(runId: string): Promise<string[]> {
  const left = lazyMounts(runFsname(runId)).map((m) => m.mountpoint);
  for (const path of left) await unmountPath(path);
  return left;
}
