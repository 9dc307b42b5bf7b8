// raftkv's storage on the lose-unsynced filesystem: the correct storage
// keeps everything save() returned from across a drop (a power loss), the
// skip-fsync bug loses it, though a plain kill would not.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropUnsynced, lazyFsUnavailable, mountLazyFs, unmountLazyFs, type LazyMount } from '../../disk/index.ts';
import { NO_BUGS, type Bugs } from '../../raftkv/bugs.ts';
import { Storage } from '../../raftkv/storage.ts';
import type { Entry } from '../../raftkv/raft/messages.ts';

const unavailable = await lazyFsUnavailable();
const entry = (index: number, term: number): Entry => ({ index, term, command: null });

describe.skipIf(unavailable !== undefined)('raftkv storage on lazyfs', () => {
  let dir: string;
  let m: LazyMount;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-lazyfs-raftkv-'));
    m = await mountLazyFs(join(dir, 'backing'), join(dir, 'mnt'), join(dir, 'control.sock'));
  });
  afterEach(async () => {
    await unmountLazyFs(m);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Save a vote and three entries the way the server does, "crash" without close(), drop, and recover. */
  async function afterPowerLoss(bugs: Bugs) {
    const data = join(m.mountpoint, 'raftkv');
    const s = new Storage(data, bugs);
    s.save({ hardState: { term: 3, votedFor: 'n2' }, entries: [entry(1, 1), entry(2, 3)] });
    s.save({ entries: [entry(3, 3)] });
    const beforeDrop = readFileSync(join(data, 'log.jsonl'), 'utf8');
    const drop = await dropUnsynced(m.control);
    return { beforeDrop, drop, recovered: new Storage(data, NO_BUGS).load() };
  }

  it('the correct storage keeps every saved entry and its vote', async () => {
    const { drop, recovered } = await afterPowerLoss(NO_BUGS);
    expect(recovered.hardState).toEqual({ term: 3, votedFor: 'n2' });
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(drop.bytes).toBe(0);
  });

  it('skip-fsync wrote everything (a kill would lose nothing) but a drop takes all of it back', async () => {
    const { beforeDrop, drop, recovered } = await afterPowerLoss(new Set(['skip-fsync'] as const));
    expect(beforeDrop.split('\n').filter(Boolean)).toHaveLength(3);
    expect(recovered.hardState).toBeUndefined();
    expect(recovered.entries).toEqual([]);
    expect(drop.bytes).toBeGreaterThan(0);
  });
});
