// The corrupt nemesis's pure part: each node's changes stay in its own slice
// of the file, a bitflip changes exactly the bits it names, a truncate cuts inside the slice; and what the plan refuses.
import { describe, expect, it } from 'vitest';
import { Random } from '../../generator/index.ts';
import { applyCorruption, chooseFile, FLIPS, planCorruption, sliceOf } from '../../nemeses/corrupt-bytes.ts';
import { nemesisPlan } from '../../nemeses/index.ts';
import { refusalReason } from '../../nemeses/corrupt.ts';

const bitsDiffering = (a: Buffer, b: Buffer): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i] ^ b[i]; x; x &= x - 1) n++;
  return n;
};

describe('corrupt: what changes in a file', () => {
  it('slices cover the file without overlap', () => {
    expect([0, 1, 2].map((i) => sliceOf(100, i, 3))).toEqual([[0, 33], [33, 66], [66, 100]]);
  });

  it('a bitflip flips exactly FLIPS bits, all inside the node\'s slice, and nothing else', () => {
    const data = Buffer.alloc(3000, 0x5a);
    for (let seed = 0; seed < 50; seed++) {
      const index = seed % 3;
      const c = planCorruption('bitflip', data.length, { index, count: 3 }, new Random(seed));
      const after = applyCorruption(data, c);
      expect(bitsDiffering(data, after)).toBe(FLIPS);
      const [start, end] = sliceOf(data.length, index, 3);
      for (let i = 0; i < data.length; i++) if (data[i] !== after[i]) expect(i >= start && i < end).toBe(true);
      expect(data.equals(Buffer.alloc(3000, 0x5a))).toBe(true); // the input is untouched
    }
  });

  it('a truncate cuts inside the slice; an empty slice is refused', () => {
    for (let seed = 0; seed < 50; seed++) {
      const c = planCorruption('truncate', 900, { index: 1, count: 3 }, new Random(seed));
      const after = applyCorruption(Buffer.alloc(900, 1), c);
      expect(after.length).toBeGreaterThanOrEqual(300);
      expect(after.length).toBeLessThan(600);
    }
    expect(() => planCorruption('bitflip', 2, { index: 0, count: 3 }, new Random(1))).toThrow(/has no bytes in slice 1 of 3/);
  });
});

describe('corrupt: which file', () => {
  // ZooKeeper's currentEpoch holds one byte ("1"): three nodes cannot each own a slice of it.
  it('a file smaller than the node count is passed over; a class with none left is not drawn', () => {
    const classes = { epoch: [{ file: 'version-2/currentEpoch', size: 1 }], log: [{ file: 'version-2/log.100', size: 67108880 }, { file: 'version-2/log.200', size: 2 }], snapshot: [] };
    for (let seed = 0; seed < 30; seed++) expect(chooseFile(classes, 3, new Random(seed))).toEqual({ fileClass: 'log', file: { file: 'version-2/log.100', size: 67108880 } });
    expect(chooseFile({ epoch: [{ file: 'currentEpoch', size: 1 }] }, 3, new Random(1))).toBeNull();
    expect(chooseFile({ epoch: [{ file: 'currentEpoch', size: 3 }] }, 3, new Random(1))?.file.file).toBe('currentEpoch');
  });

  it('every usable class is drawn, its last file in glob order', () => {
    const classes = { wal: [{ file: 'wal/0.wal', size: 100 }, { file: 'wal/1.wal', size: 100 }], snap: [{ file: 'snap/db', size: 100 }] };
    const drawn = new Set(Array.from({ length: 40 }, (_, seed) => chooseFile(classes, 3, new Random(seed))!.file.file));
    expect([...drawn].sort()).toEqual(['snap/db', 'wal/1.wal']);
  });
});

describe('corrupt: before the run', () => {
  it('a DB that names no data files is refused; one that does is planned', () => {
    expect(() => nemesisPlan(['corrupt'], { intervalS: 1, db: { name: 'mydb', dataDir: '/data/x' }, nodeCount: 3 })).toThrow(/corrupt needs the data directory and data files of mydb/);
    expect(() => nemesisPlan(['corrupt-truncate'], { intervalS: 1, db: { name: 'raftkv', dataDir: '/data/raftkv', dataFiles: { log: 'log.jsonl' } }, nodeCount: 3 })).not.toThrow();
  });
});

describe('corrupt: why a node refused', () => {
  it('the first error since the restart, with the exception under it, not the exit that follows', () => {
    const zookeeper = [
      '[main] INFO org.apache.zookeeper.server.ZKDatabase - Snapshot loaded in 242 ms, highest zxid is 0x10000031d',
      '[main] INFO org.apache.zookeeper.server.persistence.SnapStream - Invalid snapshot snapshot.0. len = 1, byte = 0',
      '[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeer - Unable to load database on disk',
      'java.io.IOException: The accepted epoch, 1 is less than the current epoch, 5',
      '\tat org.apache.zookeeper.server.quorum.QuorumPeer.loadDataBase(QuorumPeer.java:1197)',
      '[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeerMain - Unexpected exception, exiting abnormally',
      '[main] ERROR org.apache.zookeeper.util.ServiceUtils - Exiting JVM with code 1',
    ].join('\n');
    expect(refusalReason(zookeeper)).toBe('[main] ERROR org.apache.zookeeper.server.quorum.QuorumPeer - Unable to load database on disk | java.io.IOException: The accepted epoch, 1 is less than the current epoch, 5');
    const etcd = '{"level":"info","msg":"starting an etcd server","initial-corrupt-check":false}\n{"level":"info","msg":"opened backend db"}\n{"level":"fatal","msg":"failed to unmarshal mvccpb.KeyValue","error":"proto: wrong wireType = 7"}\ngo.uber.org/zap.(*Logger).Panic(0xc000198ce0?)\n';
    expect(refusalReason(etcd)).toMatch(/^\{"level":"fatal","msg":"failed to unmarshal/);
    const node = [
      'file:///opt/raftkv/server.mjs:1036',
      '  if (computed !== m[1]) throw new CorruptRecord(`${where}: checksum`);',
      '                               ^',
      '',
      'CorruptRecord: hardstate.json: checksum a39b2b4a stored, b523061b computed: the record changed after it was written',
      '    at unseal (file:///opt/raftkv/server.mjs:1036:32)',
    ].join('\n');
    expect(refusalReason(node)).toBe('CorruptRecord: hardstate.json: checksum a39b2b4a stored, b523061b computed: the record changed after it was written');
    const go = '{"level":"info","msg":"opened backend db"}\nunexpected fault address 0x7f28e800e000\nfatal error: fault\n[signal SIGBUS: bus error code=0x2 addr=0x7f28e800e000 pc=0x8a1f2b]\n';
    expect(refusalReason(go)).toBe('unexpected fault address 0x7f28e800e000 | fatal error: fault');
    expect(refusalReason('starting\nbye\n')).toBe('bye');
    expect(refusalReason('')).toBe('its log says nothing');
  });
});
