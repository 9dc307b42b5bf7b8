// Host side of the lose-unsynced-writes filesystem (lazyfs.py): mount it over
// a backing folder, ask it to drop what was never synced, unmount it.
// One mount per node; the mount point is bind-mounted into the node's
// container as its data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { UserError } from '../history/index.ts';

/** Debian's python3 (not a pyenv shim on PATH): python3-llfuse is installed for it. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const LAZYFS_SCRIPT = fileURLToPath(new URL('./lazyfs.py', import.meta.url));
const MOUNT_READY_MS = 10_000;
const CONTROL_TIMEOUT_MS = 30_000;

export interface LazyMount {
  backing: string;
  mountpoint: string;
  control: string;
  process: ChildProcess;
}

/** What one drop discarded: bytes written but never fsynced, files whose content went back, entries (create/rename/unlink) undone. */
export interface DropResult {
  bytes: number;
  files: number;
  entries: number;
  filesChanged: { path: string; bytes: number; sizeAfter: number }[];
  entriesUndone: { undo: 'create' | 'rename' | 'remove'; path: string; back?: string }[];
}

/** Why FUSE cannot work on this machine, or undefined when it can. */
export async function lazyFsUnavailable(): Promise<string | undefined> {
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing (no FUSE in this kernel or container)';
  const mod = await execa(SYSTEM_PYTHON, ['-c', 'import llfuse'], { reject: false });
  if (mod.exitCode !== 0) return `${SYSTEM_PYTHON} cannot import llfuse (apt-get install python3-llfuse, or run \`faultline setup\`)`;
  const fm = await execa('fusermount', ['-V'], { reject: false });
  if (fm.exitCode !== 0) return 'fusermount is missing (apt-get install fuse3)';
  return undefined;
}

/** Refuse (exit 2) where the filesystem cannot be mounted. */
export async function assertLazyFsAvailable(): Promise<void> {
  const why = await lazyFsUnavailable();
  if (why) throw new UserError(`--nemesis lose-unsynced needs FUSE: ${why}`);
}

/** Every lazyfs mount's name in /proc/mounts starts so; a run's mounts go on with its run id (disk/node-disks.ts). */
export const LAZYFS_FSNAME = 'faultline-lazyfs';

/** Mount lazyfs over `backing` at `mountpoint`; resolves once the mount and its control socket are up. */
export async function mountLazyFs(backing: string, mountpoint: string, control: string, fsname = LAZYFS_FSNAME): Promise<LazyMount> {
  mkdirSync(backing, { recursive: true });
  mkdirSync(mountpoint, { recursive: true });
  const child = spawn(SYSTEM_PYTHON, [LAZYFS_SCRIPT, backing, mountpoint, control, fsname], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const mount = { backing, mountpoint, control, process: child };
  const t0 = Date.now();
  while (!(isMounted(mountpoint) && existsSync(control))) {
    if (child.exitCode !== null) throw new Error(`lazyfs on ${mountpoint} exited ${child.exitCode}: ${stderr.trim()}`);
    if (Date.now() - t0 > MOUNT_READY_MS) {
      await unmountLazyFs(mount);
      throw new Error(`lazyfs on ${mountpoint} not mounted after ${MOUNT_READY_MS} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return mount;
}

/** Is a lazyfs mounted exactly at `path`? */
export function isMounted(path: string): boolean {
  return lazyMounts().some((m) => m.mountpoint === path);
}

/** lazyfs mounts on this host whose name starts with `fsnamePrefix`: what cleanup must unmount. (/proc/self/mounts escapes spaces as \040.) */
export function lazyMounts(fsnamePrefix = LAZYFS_FSNAME): { fsname: string; mountpoint: string }[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[1] !== undefined && f[0].startsWith(fsnamePrefix))
    .map((f) => ({ fsname: f[0], mountpoint: f[1].replace(/\\040/g, ' ') }));
}

/** One command on the control socket: its JSON answer. */
export function lazyFsCommand<T>(control: string, command: 'drop' | 'status'): Promise<T> {
  return new Promise((resolve, reject) => {
    const sock = connect(control);
    let answer = '';
    const timer = setTimeout(() => sock.destroy(new Error(`lazyfs ${command}: no answer after ${CONTROL_TIMEOUT_MS} ms`)), CONTROL_TIMEOUT_MS);
    sock.on('connect', () => sock.write(`${command}\n`));
    sock.on('data', (d) => (answer += d.toString()));
    sock.on('error', (e) => (clearTimeout(timer), reject(e)));
    sock.on('close', () => {
      clearTimeout(timer);
      try {
        const out = JSON.parse(answer) as T & { error?: string };
        if (out.error) reject(new Error(`lazyfs ${command}: ${out.error}`));
        else resolve(out);
      } catch {
        reject(new Error(`lazyfs ${command}: unreadable answer ${JSON.stringify(answer)}`));
      }
    });
  });
}

/** Drop every byte and entry not yet synced (the node's DB must be down). */
export const dropUnsynced = (control: string): Promise<DropResult> => lazyFsCommand<DropResult>(control, 'drop');

/**
 * Unmount, whatever state the daemon is in: fusermount -u, then a lazy
 * unmount if something still holds it (a container not yet removed), then
 * stop the daemon.
 */
export async function unmountLazyFs(m: Pick<LazyMount, 'mountpoint'> & { process?: ChildProcess; control?: string }): Promise<void> {
  await unmountPath(m.mountpoint);
  if (m.process && m.process.exitCode === null) {
    const gone = new Promise((r) => m.process!.once('exit', r));
    m.process.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
    if (m.process.exitCode === null) m.process.kill('SIGKILL');
  }
  // The daemon removes its socket as it exits; not when it was killed.
  if (m.control) rmSync(m.control, { force: true });
}

/** fusermount -u the path, lazily if busy; a path not mounted is fine. */
export async function unmountPath(mountpoint: string): Promise<void> {
  if (!isMounted(mountpoint)) return;
  const r = await execa('fusermount', ['-u', mountpoint], { reject: false });
  if (r.exitCode !== 0 && isMounted(mountpoint)) await execa('fusermount', ['-u', '-z', mountpoint], { reject: false });
}
