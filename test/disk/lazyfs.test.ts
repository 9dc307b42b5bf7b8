// The lose-unsynced-writes filesystem on its own, mounted for real on the
// host: what was fsynced survives a drop, what was not is gone, and the drop
// says how much it discarded.
import { closeSync, existsSync, mkdirSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropUnsynced, isMounted, lazyFsUnavailable, mountLazyFs, unmountLazyFs, type LazyMount } from '../../disk/index.ts';

const unavailable = await lazyFsUnavailable();

const fsyncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  fsyncSync(fd);
  closeSync(fd);
};
const writeDurably = (path: string, text: string): void => {
  const fd = openSync(path, 'w');
  writeSync(fd, text);
  fsyncSync(fd);
  closeSync(fd);
};

describe.skipIf(unavailable !== undefined)('lazyfs', () => {
  let dir: string;
  let m: LazyMount;
  let at: (name: string) => string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-lazyfs-'));
    m = await mountLazyFs(join(dir, 'backing'), join(dir, 'mnt'), join(dir, 'control.sock'));
    at = (name) => join(m.mountpoint, name);
  });
  afterEach(async () => {
    await unmountLazyFs(m);
    expect(isMounted(m.mountpoint)).toBe(false);
    expect(existsSync(m.control)).toBe(false); // no socket left in the temp folder
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops a write that was never fsynced, and counts its bytes', async () => {
    writeDurably(at('kept'), 'durable');
    fsyncPath(m.mountpoint);
    const fd = openSync(at('kept'), 'a');
    writeSync(fd, '+lost');
    closeSync(fd);
    expect(readFileSync(at('kept'), 'utf8')).toBe('durable+lost');
    const drop = await dropUnsynced(m.control);
    expect(readFileSync(at('kept'), 'utf8')).toBe('durable');
    expect(drop).toMatchObject({ bytes: 5, files: 1, entries: 0, filesChanged: [{ path: '/kept', bytes: 5, sizeAfter: 7 }] });
  });

  it('keeps what fsync made durable, including an overwrite in the middle', async () => {
    writeDurably(at('f'), 'aaaaaaaa');
    fsyncPath(m.mountpoint);
    const fd = openSync(at('f'), 'r+');
    writeSync(fd, 'BB', 2);
    fsyncSync(fd);
    writeSync(fd, 'CC', 5);
    closeSync(fd);
    await dropUnsynced(m.control);
    expect(readFileSync(at('f'), 'utf8')).toBe('aaBBaaaa');
  });

  it('brings back bytes an unsynced truncate cut', async () => {
    writeDurably(at('t'), '0123456789');
    fsyncPath(m.mountpoint);
    writeFileSync(at('t'), 'xy'); // O_TRUNC then write, no fsync
    await dropUnsynced(m.control);
    expect(readFileSync(at('t'), 'utf8')).toBe('0123456789');
  });

  it('removes a file created since the last directory fsync, even after its own unsynced writes', async () => {
    writeFileSync(at('new'), 'never synced');
    const drop = await dropUnsynced(m.control);
    expect(existsSync(at('new'))).toBe(false);
    expect(existsSync(join(m.backing, 'new'))).toBe(false);
    expect(drop.entriesUndone).toEqual([{ undo: 'create', path: '/new' }]);
  });

  it('a rename is durable only once its directory is fsynced (write temp, fsync, rename, fsync dir)', async () => {
    writeDurably(at('state'), 'old');
    fsyncPath(m.mountpoint);
    writeDurably(at('state.tmp'), 'new');
    renameSync(at('state.tmp'), at('state'));
    await dropUnsynced(m.control);
    expect(readFileSync(at('state'), 'utf8')).toBe('old');

    writeDurably(at('state.tmp'), 'new');
    renameSync(at('state.tmp'), at('state'));
    fsyncPath(m.mountpoint);
    await dropUnsynced(m.control);
    expect(readFileSync(at('state'), 'utf8')).toBe('new');
    expect(existsSync(at('state.tmp'))).toBe(false);
  });

  it("a file's fsync makes the folders above it durable too (ext4's journal commit): a correct mkdir -p, write, fsync survives", async () => {
    mkdirSync(at('deep/er'), { recursive: true });
    writeDurably(at('deep/er/wal'), 'entry');
    const drop = await dropUnsynced(m.control);
    expect(drop.entries).toBe(0);
    expect(readFileSync(at('deep/er/wal'), 'utf8')).toBe('entry');
  });

  it('an unlink not yet made durable is undone', async () => {
    writeDurably(at('gone'), 'still here');
    fsyncPath(m.mountpoint);
    unlinkSync(at('gone'));
    await dropUnsynced(m.control);
    expect(readFileSync(at('gone'), 'utf8')).toBe('still here');
  });
});

describe.skipIf(unavailable === undefined)('lazyfs unavailable', () => {
  it('says why', () => {
    expect(unavailable).toMatch(/fuse|llfuse|fusermount/i);
  });
});
