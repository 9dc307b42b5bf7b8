import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Storage } from '../../raftkv/storage.ts';
import { NO_BUGS } from '../../raftkv/bugs.ts';
import { CorruptRecord } from '../../raftkv/checksum.ts';
import type { Entry } from '../../raftkv/raft/messages.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'raftkv-storage-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const e = (index: number, term: number, command: unknown = { op: 'put', key: `k${index}`, value: index }): Entry => ({ index, term, command });

describe('raftkv storage', () => {
  it('recovers hard state and log; a rewritten index replaces the suffix', () => {
    const dir = tempDir();
    const s = new Storage(dir, NO_BUGS);
    s.save({ hardState: { term: 2, votedFor: 'n1' }, entries: [e(1, 1), e(2, 1), e(3, 1)] });
    s.save({ entries: [e(2, 2)] }); // a new leader overwrote index 2 (and so dropped 3)
    s.save({ entries: [e(3, 2)] });
    s.close();
    const r = new Storage(dir, NO_BUGS).load();
    expect(r.hardState).toEqual({ term: 2, votedFor: 'n1' });
    expect(r.entries.map((x) => [x.index, x.term])).toEqual([[1, 1], [2, 2], [3, 2]]);
  });

  it('cuts a torn last record (crash mid-write) and appends cleanly after it', () => {
    const dir = tempDir();
    const s = new Storage(dir, NO_BUGS);
    s.save({ entries: [e(1, 1), e(2, 1)] });
    s.close();
    fs.appendFileSync(path.join(dir, 'log.jsonl'), '{"index":3,"te');
    const s2 = new Storage(dir, NO_BUGS);
    expect(s2.load().entries.map((x) => x.index)).toEqual([1, 2]);
    s2.save({ entries: [e(3, 1)] });
    s2.close();
    expect(new Storage(dir, NO_BUGS).load().entries.map((x) => x.index)).toEqual([1, 2, 3]);
  });

  it('a complete-looking record without its newline is torn too (so the next append cannot glue onto it)', () => {
    const dir = tempDir();
    const s = new Storage(dir, NO_BUGS);
    s.save({ entries: [e(1, 1)] });
    s.close();
    fs.appendFileSync(path.join(dir, 'log.jsonl'), JSON.stringify(e(2, 1)));
    const s2 = new Storage(dir, NO_BUGS);
    expect(s2.load().entries.map((x) => x.index)).toEqual([1]);
    s2.save({ entries: [e(2, 1), e(3, 1)] });
    s2.close();
    expect(new Storage(dir, NO_BUGS).load().entries.map((x) => x.index)).toEqual([1, 2, 3]);
  });

  it('a snapshot replaces the log prefix it covers', () => {
    const dir = tempDir();
    const s = new Storage(dir, NO_BUGS);
    s.save({ entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 1)] });
    s.saveSnapshot({ meta: { index: 3, term: 1 }, data: { data: [['k1', 1]] } }, [e(4, 1)]);
    s.save({ entries: [e(5, 1)] });
    s.close();
    const r = new Storage(dir, NO_BUGS).load();
    expect(r.snapshot?.meta).toEqual({ index: 3, term: 1 });
    expect(r.entries.map((x) => x.index)).toEqual([4, 5]);
  });

  it('no-fsync keeps acknowledged entries only in memory until its lazy flush', () => {
    const dir = tempDir();
    const s = new Storage(dir, new Set(['no-fsync'] as const));
    s.save({ hardState: { term: 1, votedFor: null }, entries: [e(1, 1)] });
    // What a SIGKILL now would leave behind:
    expect(new Storage(tempDir(), NO_BUGS).load().entries).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'log.jsonl'), 'utf8')).toBe('');
    s.flush(false);
    expect(fs.readFileSync(path.join(dir, 'log.jsonl'), 'utf8')).toContain('"index":1');
    s.close();
  });
});

// What --nemesis corrupt does to a stopped node's files, done by hand: the
// correct storage refuses a damaged record; the no-checksum bug cuts or applies it.
describe('raftkv storage: damaged records', () => {
  const NO_CHECKSUM = new Set(['no-checksum'] as const);
  /** A log of three records with `change` applied to the file's text (as bytes, the way a disk would). */
  function damagedLog(change: (text: string) => string): string {
    const dir = tempDir();
    const s = new Storage(dir, NO_BUGS);
    s.save({ hardState: { term: 1, votedFor: 'n1' }, entries: [e(1, 1), e(2, 1, { op: 'put', key: 'k2', value: 42 }), e(3, 1)] });
    s.close();
    const file = path.join(dir, 'log.jsonl');
    fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
    return dir;
  }

  it('a record in the middle that no longer parses: refused, not cut (the bug forgets records 2 and 3)', () => {
    const dir = damagedLog((t) => t.replace('"index":2', '"index"\x02'));
    expect(() => new Storage(dir, NO_BUGS).load()).toThrow(CorruptRecord);
    expect(() => new Storage(dir, NO_BUGS).load()).toThrow(/log\.jsonl record 2 \(byte \d+\): checksum/);
    expect(new Storage(dir, NO_CHECKSUM).load().entries.map((x) => x.index)).toEqual([1]);
  });

  it('a flipped bit that still parses (value 42 became 43): refused (the bug applies 43 as if written)', () => {
    const dir = damagedLog((t) => t.replace('"value":42', '"value":43')); // '2' ^ 1 = '3': one bit
    expect(() => new Storage(dir, NO_BUGS).load()).toThrow(/record 2 .*checksum [0-9a-f]{8} stored, [0-9a-f]{8} computed/);
    expect(new Storage(dir, NO_CHECKSUM).load().entries[1].command).toEqual({ op: 'put', key: 'k2', value: 43 });
  });

  it('a damaged vote or snapshot is refused; a torn tail still is not', () => {
    const dir = damagedLog((t) => t + '1234abcd {"index":4,');
    expect(new Storage(dir, NO_BUGS).load().entries.map((x) => x.index)).toEqual([1, 2, 3]);
    const hs = path.join(dir, 'hardstate.json');
    fs.writeFileSync(hs, fs.readFileSync(hs, 'utf8').replace('"term":1', '"term":3'));
    expect(() => new Storage(dir, NO_BUGS).load()).toThrow(/hardstate\.json: checksum/);
    fs.writeFileSync(hs, JSON.stringify({ term: 1, votedFor: 'n1' })); // no seal at all
    expect(() => new Storage(dir, NO_BUGS).load()).toThrow(/hardstate\.json: no checksum/);
  });
});
