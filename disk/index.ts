// Public surface of disk/: the lose-unsynced-writes filesystem (lazyfs.py)
// mounted per node on the host, and its control channel.
export { assertLazyFsAvailable, dropUnsynced, isMounted, lazyFsCommand, lazyFsUnavailable, lazyMounts, mountLazyFs, SYSTEM_PYTHON, unmountLazyFs, unmountPath, type DropResult, type LazyMount } from './lazy-mount.ts';
export { diskControlPath, diskMountTarget, mountNodeDisks, unmountLeftoverDisks, unmountRunDisks, type NodeDisks } from './node-disks.ts';
