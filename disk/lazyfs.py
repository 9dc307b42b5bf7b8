#!/usr/bin/python3
# faultline's lose-unsynced-writes filesystem (issue 19), a FUSE pass-through
# over a backing folder on the host.
#
# Reads and writes go straight through to the backing folder; what is not
# yet durable is kept as an UNDO LOG, not as a write cache:
#   * per file: the bytes each write or truncate overwrote and the size at the
#     first unsynced change; fsync/fdatasync of the file forgets them;
#   * per directory: files and folders created, renamed or removed since the
#     last fsync of that directory (an unlinked file is parked in a trash
#     folder next to the backing folder, so it can come back); fsync of the
#     folder forgets them. A file's fsync makes every entry change before it
#     durable (ext4's journal commit); a rename with nothing synced after it
#     is undone.
# "drop" on the control socket replays the undo log backwards: the backing
# folder is then what a power loss would have left. An undo log is far
# simpler than a cache and equivalent for this fault: reads never need to
# merge cached and durable data.
#
# usage: lazyfs.py BACKING MOUNTPOINT CONTROL_SOCKET [FSNAME]
# FSNAME (default faultline-lazyfs) names the mount in /proc/mounts: cleanup finds a run's mounts by it.
# control: connect to the unix socket, send "drop\n" or "status\n", read one
# JSON line back. Drop only while nothing has the files open (the node's DB
# is killed first), as a power loss would.
import errno
import json
import os
import shutil
import socket
import stat
import sys
import threading

import llfuse

ROOT = llfuse.ROOT_INODE
NO_CACHE = 0  # seconds the kernel may cache entries and attributes: none, a drop changes them behind its back
MAX_LISTED = 50  # paths named per drop; the counts are always exact


class LazyFs(llfuse.Operations):
    def __init__(self, backing, trash):
        super().__init__()
        self.backing = backing
        self.trash = trash
        self.entries = {ROOT: (None, '')}  # inode -> (parent inode, name): paths follow directory renames
        self.fds = {}  # fh (backing fd) -> inode
        self.pending = {}  # inode -> {'size': size before the first unsynced change, 'undo': [(offset, old bytes)], 'bytes': n}
        self.dir_log = []  # unsynced entry changes, oldest first
        self.trash_seq = 0

    # ---- paths and attributes -------------------------------------------------
    def path(self, ino):
        parts = []
        while ino != ROOT:
            parent, name = self.entries[ino]
            parts.append(name)
            ino = parent
        return os.path.join(self.backing, *reversed(parts))

    def child(self, parent, name):
        return os.path.join(self.path(parent), os.fsdecode(name))

    def attrs(self, path, ino=None):
        st = os.lstat(path)
        a = llfuse.EntryAttributes()
        a.st_ino = ino if ino is not None else st.st_ino
        for f in ('st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_rdev', 'st_size', 'st_blksize', 'st_blocks', 'st_atime_ns', 'st_mtime_ns', 'st_ctime_ns'):
            setattr(a, f, getattr(st, f))
        a.entry_timeout = NO_CACHE
        a.attr_timeout = NO_CACHE
        return a

    def remember(self, parent, name, path):
        st = os.lstat(path)
        ino = ROOT if path == self.backing else st.st_ino
        if ino != ROOT:
            self.entries[ino] = (parent, os.fsdecode(name))
        return self.attrs(path, ino)

    def lookup(self, parent, name, ctx):
        if name == b'.':
            return self.attrs(self.path(parent), parent)
        if name == b'..':
            up = self.entries[parent][0] or ROOT
            return self.attrs(self.path(up), up)
        path = self.child(parent, name)
        if not os.path.lexists(path):
            raise llfuse.FUSEError(errno.ENOENT)
        return self.remember(parent, name, path)

    def getattr(self, ino, ctx):
        return wrap(lambda: self.attrs(self.path(ino), ino))

    def setattr(self, ino, attr, fields, fh, ctx):
        path = self.path(ino)
        if fields.update_size:
            self.before_truncate(ino, path, attr.st_size)
            wrap(lambda: os.truncate(path, attr.st_size))
        if fields.update_mode:
            wrap(lambda: os.chmod(path, stat.S_IMODE(attr.st_mode)))
        if fields.update_uid or fields.update_gid:
            wrap(lambda: os.chown(path, attr.st_uid if fields.update_uid else -1, attr.st_gid if fields.update_gid else -1, follow_symlinks=False))
        if fields.update_atime or fields.update_mtime:
            st = os.lstat(path)
            a = attr.st_atime_ns if fields.update_atime else st.st_atime_ns
            m = attr.st_mtime_ns if fields.update_mtime else st.st_mtime_ns
            wrap(lambda: os.utime(path, ns=(a, m), follow_symlinks=False))
        return self.attrs(path, ino)

    def readlink(self, ino, ctx):
        return wrap(lambda: os.fsencode(os.readlink(self.path(ino))))

    def statfs(self, ctx):
        st = os.statvfs(self.backing)
        s = llfuse.StatvfsData()
        for f in ('f_bsize', 'f_frsize', 'f_blocks', 'f_bfree', 'f_bavail', 'f_files', 'f_ffree', 'f_favail', 'f_namemax'):
            setattr(s, f, getattr(st, f))
        return s

    def access(self, ino, mode, ctx):
        return True

    # ---- directories -----------------------------------------------------------
    def opendir(self, ino, ctx):
        return ino

    def readdir(self, ino, off):
        path = self.path(ino)
        names = sorted(wrap(lambda: os.listdir(path)))
        for i, name in enumerate(names[off:], start=off):
            try:
                a = self.remember(ino, name, os.path.join(path, name))
            except OSError:
                continue  # removed meanwhile
            yield (os.fsencode(name), a, i + 1)

    def releasedir(self, fh):
        pass

    def fsyncdir(self, fh, datasync):
        self.dir_durable(fh)

    def mkdir(self, parent, name, mode, ctx):
        path = self.child(parent, name)
        wrap(lambda: os.mkdir(path, mode))
        a = self.remember(parent, name, path)
        self.dir_log.append({'kind': 'created', 'ino': a.st_ino, 'dir': parent})
        return a

    def symlink(self, parent, name, target, ctx):
        path = self.child(parent, name)
        wrap(lambda: os.symlink(target, path))
        a = self.remember(parent, name, path)
        self.dir_log.append({'kind': 'created', 'ino': a.st_ino, 'dir': parent})
        return a

    def unlink(self, parent, name, ctx):
        self.to_trash(parent, name)

    def rmdir(self, parent, name, ctx):
        path = self.child(parent, name)
        if wrap(lambda: os.listdir(path)):
            raise llfuse.FUSEError(errno.ENOTEMPTY)
        self.to_trash(parent, name)

    def to_trash(self, parent, name):
        """Remove an entry so that a drop can bring it back: park it in the trash until its directory is fsynced."""
        path = self.child(parent, name)
        ino = wrap(lambda: os.lstat(path)).st_ino
        self.trash_seq += 1
        parked = os.path.join(self.trash, str(self.trash_seq))
        wrap(lambda: os.rename(path, parked))
        self.dir_log.append({'kind': 'removed', 'ino': ino, 'dir': parent, 'name': os.fsdecode(name), 'parked': parked})

    def rename(self, old_parent, old_name, new_parent, new_name, ctx):
        src, dst = self.child(old_parent, old_name), self.child(new_parent, new_name)
        ino = wrap(lambda: os.lstat(src)).st_ino
        if os.path.lexists(dst):
            self.to_trash(new_parent, new_name)  # the replaced file comes back on a drop
        wrap(lambda: os.rename(src, dst))
        self.entries[ino] = (new_parent, os.fsdecode(new_name))
        self.dir_log.append({'kind': 'renamed', 'ino': ino, 'dir': new_parent, 'from': (old_parent, os.fsdecode(old_name))})

    def link(self, ino, new_parent, new_name, ctx):
        raise llfuse.FUSEError(errno.EPERM)  # hard links would give one inode two paths; no system here makes them

    def dir_durable(self, ino):
        """fsync of directory `ino`: every entry change inside it is durable now."""
        keep = []
        for e in self.dir_log:
            if e['dir'] != ino:
                keep.append(e)
            elif e['kind'] == 'removed':
                forget_path(e['parked'])
        self.dir_log = keep

    # ---- files -----------------------------------------------------------------
    def create(self, parent, name, mode, flags, ctx):
        path = self.child(parent, name)
        fd = wrap(lambda: os.open(path, backing_flags(flags) | os.O_CREAT, mode))
        a = self.remember(parent, name, path)
        self.fds[fd] = a.st_ino
        self.dir_log.append({'kind': 'created', 'ino': a.st_ino, 'dir': parent})
        return (fd, a)

    def open(self, ino, flags, ctx):
        path = self.path(ino)
        if flags & os.O_TRUNC:
            self.before_truncate(ino, path, 0)
        fd = wrap(lambda: os.open(path, backing_flags(flags) & ~os.O_CREAT))
        self.fds[fd] = ino
        return fd

    def read(self, fh, off, size):
        return wrap(lambda: os.pread(fh, size, off))

    def write(self, fh, off, buf):
        ino = self.fds[fh]
        p = self.pending_of(ino, fh)
        p['undo'].append((off, os.pread(fh, len(buf), off)))
        p['bytes'] += len(buf)
        return wrap(lambda: os.pwrite(fh, buf, off))

    def before_truncate(self, ino, path, size):
        fd = os.open(path, os.O_RDONLY)
        try:
            p = self.pending_of(ino, fd)
            now = os.fstat(fd).st_size
            if size < now:
                p['undo'].append((size, os.pread(fd, now - size, size)))
            p['bytes'] += abs(now - size)
        finally:
            os.close(fd)

    def pending_of(self, ino, fd):
        if ino not in self.pending:
            self.pending[ino] = {'size': os.fstat(fd).st_size, 'undo': [], 'bytes': 0}
        return self.pending[ino]

    def fsync(self, fh, datasync):
        ino = self.fds[fh]
        self.pending.pop(ino, None)
        # ext4 (data=ordered): a file's fsync commits the journal, and with it every entry change made
        # before it anywhere (the folders above a new file included); later ones still need a sync.
        # Stricter rules would lose a correct system's mkdir -p of its data folder: a false alarm.
        for e in self.dir_log:
            if e['kind'] == 'removed':
                forget_path(e['parked'])
        self.dir_log = []

    def flush(self, fh):
        pass

    def release(self, fh):
        self.fds.pop(fh, None)
        os.close(fh)

    # ---- the fault -------------------------------------------------------------
    def status(self):
        return {'pendingFiles': len(self.pending), 'pendingBytes': sum(p['bytes'] for p in self.pending.values()), 'pendingEntries': len(self.dir_log)}

    def drop(self):
        """Undo everything not yet synced: file contents first (paths as they are now), then entry changes newest first."""
        files, entries = [], []
        bytes_lost = 0
        removed = {e['ino'] for e in self.dir_log if e['kind'] == 'created'}
        for ino, p in self.pending.items():
            bytes_lost += p['bytes']
            if ino in removed:
                continue  # the whole file goes below
            path = self.path(ino)
            files.append({'path': self.rel(path), 'bytes': p['bytes'], 'sizeAfter': p['size']})
            fd = os.open(path, os.O_WRONLY)
            try:
                for off, old in reversed(p['undo']):
                    os.pwrite(fd, old, off)
                os.ftruncate(fd, p['size'])
            finally:
                os.close(fd)
        for e in reversed(self.dir_log):
            if e['kind'] == 'created':
                path = self.path(e['ino'])
                entries.append({'undo': 'create', 'path': self.rel(path)})
                forget_path(path)
                self.entries.pop(e['ino'], None)
            elif e['kind'] == 'renamed':
                now = self.path(e['ino'])
                parent, name = e['from']
                back = os.path.join(self.path(parent), name)
                entries.append({'undo': 'rename', 'path': self.rel(now), 'back': self.rel(back)})
                os.rename(now, back)
                self.entries[e['ino']] = (parent, name)
            else:
                back = os.path.join(self.path(e['dir']), e['name'])
                entries.append({'undo': 'remove', 'path': self.rel(back)})
                os.rename(e['parked'], back)
                self.entries[e['ino']] = (e['dir'], e['name'])
        touched = list(self.pending) + [e['dir'] for e in self.dir_log]
        self.pending.clear()
        self.dir_log.clear()
        return {'bytes': bytes_lost, 'files': len(files), 'entries': len(entries), 'filesChanged': files[:MAX_LISTED], 'entriesUndone': entries[:MAX_LISTED], 'touched': touched}

    def rel(self, path):
        return '/' + os.path.relpath(path, self.backing)


def backing_flags(flags):
    """Open the backing file read-write (a write must first read the bytes it overwrites) and without
    O_APPEND (the kernel computes append offsets itself; the undo log needs the real offset of every write)."""
    return (flags & ~os.O_ACCMODE & ~os.O_APPEND) | os.O_RDWR


def wrap(fn):
    """Run an os call; an OSError becomes the FUSE error the kernel hands back to the caller."""
    try:
        return fn()
    except OSError as e:
        raise llfuse.FUSEError(e.errno or errno.EIO)


def forget_path(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def serve_control(fs, sock_path):
    """One command per connection: 'drop' or 'status' in, one JSON line out."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    srv.bind(sock_path)
    srv.listen(4)

    def loop():
        while True:
            conn, _ = srv.accept()
            with conn:
                cmd = conn.makefile('r').readline().strip()
                try:
                    with llfuse.lock:
                        out = fs.drop() if cmd == 'drop' else fs.status() if cmd == 'status' else {'error': f'unknown command {cmd!r}'}
                    for ino in out.pop('touched', []):
                        try:
                            llfuse.invalidate_inode(ino)  # the kernel may hold pages of what was just undone
                        except Exception:
                            pass
                except Exception as e:  # noqa: BLE001 - reported to the caller, the filesystem keeps serving
                    out = {'error': f'{type(e).__name__}: {e}'}
                conn.sendall((json.dumps(out) + '\n').encode())

    threading.Thread(target=loop, daemon=True).start()


def main():
    if len(sys.argv) not in (4, 5):
        print('usage: lazyfs.py BACKING MOUNTPOINT CONTROL_SOCKET [FSNAME]', file=sys.stderr)
        sys.exit(2)
    backing, mountpoint, sock_path = (os.path.abspath(a) for a in sys.argv[1:4])
    fsname = sys.argv[4] if len(sys.argv) == 5 else 'faultline-lazyfs'
    trash = backing + '.trash'
    os.makedirs(trash, exist_ok=True)
    fs = LazyFs(backing, trash)
    llfuse.init(fs, mountpoint, [f'fsname={fsname}', 'subtype=faultline', 'allow_other'])
    serve_control(fs, sock_path)
    try:
        llfuse.main(workers=1)  # one worker: the undo log sees operations in the order the kernel sent them
    finally:
        llfuse.close(unmount=True)
        if os.path.exists(sock_path):
            os.unlink(sock_path)


if __name__ == '__main__':
    main()
