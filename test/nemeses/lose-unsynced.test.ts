// What the plan refuses before a lose-unsynced run: a DB without a data
// directory, or one at the root (the filesystem is mounted on its parent).
import { describe, expect, it } from 'vitest';
import { nemesisPlan, resolveNemeses } from '../../nemeses/index.ts';
import { diskMountTarget } from '../../disk/index.ts';

describe('lose-unsynced nemesis: before the run', () => {
  it('names a kind per target, like kill', () => {
    expect(resolveNemeses(['lose-unsynced']).map((c) => c.variant)).toEqual(['one', 'leader', 'minority', 'majority', 'all']);
  });

  it('a DB that declares no data directory is refused, saying how to declare one', () => {
    expect(() => nemesisPlan(['lose-unsynced'], { intervalS: 1, db: { name: 'mydb' }, nodeCount: 3 })).toThrow(/lose-unsynced needs the data directory of mydb, and it declares none/);
  });

  it('a data directory at the root is refused: the filesystem is mounted on its parent', () => {
    expect(() => nemesisPlan(['lose-unsynced'], { intervalS: 1, db: { name: 'mydb', dataDir: '/data' }, nodeCount: 3 })).toThrow(/data directory \/data sits at the root/);
    expect(diskMountTarget('/data/raftkv', 'raftkv')).toBe('/data');
    expect(diskMountTarget('/var/lib/zk/', 'zookeeper')).toBe('/var/lib');
  });

  it('a DB with a data directory is planned', () => {
    expect(() => nemesisPlan(['lose-unsynced'], { intervalS: 1, db: { name: 'raftkv', dataDir: '/data/raftkv' }, nodeCount: 3 })).not.toThrow();
  });
});
