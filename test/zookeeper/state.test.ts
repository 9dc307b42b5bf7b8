// When the ZooKeeper divergence check may compare the members' trees
// (workloads/zookeeper/tree-rounds.ts), the digest logs (digest-log.ts), and
// what a settled round reports (state.ts).
import { describe, expect, it } from 'vitest';
import { LOST_TRANSACTION_PROOF } from '../support/zookeeper.ts';
import { describeLost, judgeRound, latestCommonZxid, lostTransactions, parseDigestLog, settledReports, treeHash, treeReport, treeReports, type Member, type TreeReading, type Znode } from '../../workloads/zookeeper/index.ts';

const at = (node: string, zxid: bigint, hash: string, after = zxid): TreeReading => ({ node, zxidBefore: zxid, zxidAfter: after, hash });
const round = (...rs: TreeReading[]) => rs;

describe('judgeRound', () => {
  const same = round(at('n1', 0x100000020n, 'aa'), at('n2', 0x100000020n, 'aa'), at('n3', 0x100000020n, 'aa'));

  it('two equal rounds at one zxid: settled there', () => {
    expect(judgeRound(same, same)).toEqual({ settled: true, zxid: 0x100000020n });
  });

  it('a member whose tree differs at the same zxid, twice in a row: settled (the checker then names it)', () => {
    const split = round(at('n1', 0x100000020n, 'aa'), at('n2', 0x100000020n, 'aa'), at('n3', 0x100000020n, 'bb'));
    expect(judgeRound(split, split)).toEqual({ settled: true, zxid: 0x100000020n });
  });

  it('the first round alone never settles: a member only behind would look diverged', () => {
    expect(judgeRound(same, undefined)).toMatchObject({ settled: false, why: expect.stringMatching(/second/) });
  });

  it('a zxid that moved during a read: not settled, naming the member', () => {
    const moving = round(at('n1', 0x100000020n, 'aa'), at('n2', 0x10000001fn, 'aa', 0x100000020n), at('n3', 0x100000020n, 'aa'));
    expect(judgeRound(moving, same)).toEqual({ settled: false, why: 'zxid moved during the read on n2 (0x10000001f -> 0x100000020)' });
  });

  it('members at different zxids: not settled, whatever the hashes', () => {
    const behind = round(at('n1', 0x100000020n, 'aa'), at('n2', 0x100000020n, 'aa'), at('n3', 0x10000001en, 'cc'));
    expect(judgeRound(behind, behind)).toEqual({ settled: false, why: 'members at different zxids: n1 0x100000020, n2 0x100000020, n3 0x10000001e' });
  });

  it('a hash or zxid that changed since the previous round: not settled', () => {
    const earlier = round(at('n1', 0x100000020n, 'aa'), at('n2', 0x100000020n, 'aa'), at('n3', 0x100000020n, 'b0'));
    expect(judgeRound(same, earlier)).toEqual({ settled: false, why: 'changed since the previous round: n3' });
    const lower = round(at('n1', 0x10000001fn, 'aa'), at('n2', 0x10000001fn, 'aa'), at('n3', 0x10000001fn, 'aa'));
    expect(judgeRound(same, lower)).toMatchObject({ settled: false, why: 'changed since the previous round: n1, n2, n3' });
  });

  it('a member missing from the previous round: not settled', () => {
    expect(judgeRound(same, same.slice(0, 2))).toEqual({ settled: false, why: 'changed since the previous round: n3' });
    expect(judgeRound([], undefined)).toEqual({ settled: false, why: 'no member read' });
  });
});

describe('treeReport', () => {
  it('hash, zxid as the index, and a listing with data and version', () => {
    const tree = [
      { path: '/', version: 0, data: '', mzxid: 0n, pzxid: 0x100000001n },
      { path: '/faultline/register/3', version: 7, data: '42', mzxid: 0x200000004n, pzxid: 0x100000009n },
    ];
    const r = treeReport('n2', 0x200000005n, tree);
    expect(r).toEqual({
      node: 'n2',
      index: 0x200000005,
      hash: treeHash(tree),
      keys: [['/', ' (v0, set by 0x0)'], ['/faultline/register/3', '42 (v7, set by 0x200000004)']],
      keysIndex: 0x200000005,
    });
    // A version alone changes the hash.
    expect(treeHash([tree[0], { ...tree[1], version: 8 }])).not.toBe(r.hash);
  });
});

describe('digest logs (the `hash` word)', () => {
  it('parses "zxid-hex: digest" lines in zxid order; no lines from a refusing member is undefined, an empty log is empty', () => {
    expect(parseDigestLog('100000100: 563930770957\n100000080: 285593845935\n')).toEqual([
      [0x100000080, '285593845935'],
      [0x100000100, '563930770957'],
    ]);
    expect(parseDigestLog('hash is not executed because it is not in the whitelist.\n')).toBeUndefined();
    expect(parseDigestLog('')).toEqual([]);
  });

  it('the latest zxid every log has', () => {
    const a: Array<[number, string]> = [[128, 'x'], [256, 'y'], [384, 'z']];
    const b: Array<[number, string]> = [[256, 'y'], [384, 'z']];
    const c: Array<[number, string]> = [[128, 'x'], [256, 'y']];
    expect(latestCommonZxid([a, b, c])).toBe(256);
    expect(latestCommonZxid([a, [[512, 'w']]])).toBeUndefined();
    expect(latestCommonZxid([])).toBeUndefined();
  });
});

describe('settledReports', () => {
  const tree: Znode[] = [{ path: '/faultline/register/0', version: 1, data: '5', mzxid: 0x100000100n, pzxid: 0x100000100n }];
  const member = (node: string, m: Partial<Member> = {}): Member => ({ reading: at(node, 0x100000190n, 'h'), ...m });

  it("trees read and equal: each member's tree at the settled zxid", () => {
    expect(settledReports([member('n1', { tree }), member('n2', { tree })], 0x100000190n)).toEqual([treeReport('n1', 0x100000190n, tree), treeReport('n2', 0x100000190n, tree)]);
  });

  it('trees that differ with a proof: reported, the proof on the member that lost the transaction', () => {
    const newer = [{ ...tree[0], data: '6', version: 2, mzxid: 0x100000180n }];
    const reports = settledReports([member('n1', { tree: newer }), member('n2', { tree })], 0x100000190n);
    expect(reports[0]).toEqual(treeReport('n1', 0x100000190n, newer));
    expect(reports[1].proof).toBe(
      "n1 applied transaction 0x100000180, which set /faultline/register/0's data, and n2 did not (its /faultline/register/0 still stamped 0x100000100), though n2 reports having applied every transaction up to 0x100000190",
    );
    expect(reports[1].hash).not.toBe(reports[0].hash);
  });

  it('trees that differ without a proof: an error, never a verdict', () => {
    // n1's newer write is past the zxid the round settled at: a reading that moved, not a lost transaction.
    const ahead = [{ ...tree[0], data: '6', version: 2, mzxid: 0x100000200n }];
    expect(() => settledReports([member('n1', { tree: ahead }), member('n2', { tree })], 0x100000190n)).toThrow(/trees differ at 0x100000190, but no znode .*past the 0x100000190 it reports\): no verdict/);
  });

  it('trees too big: the agreeing digests at the latest zxid every member logged', () => {
    const reports = settledReports(
      [member('n1', { digests: [[128, '1'], [256, '2']] }), member('n2', { digests: [[256, '2'], [384, '3']] }), member('n3', { digests: [[256, '2']] })],
      0x100000190n,
    );
    expect(reports).toEqual([
      { node: 'n1', index: 256, hash: '2' },
      { node: 'n2', index: 256, hash: '2' },
      { node: 'n3', index: 256, hash: '2' },
    ]);
  });

  it('trees too big and digests that differ, or none to compare: an error, never a verdict', () => {
    expect(() => settledReports([member('n1', { digests: [[256, '2']] }), member('n2', { digests: [[256, '9']] })], 1n)).toThrow(/digests at 0x100 differ \(n1 2, n2 9\).*no verdict/);
    expect(() => settledReports([member('n1', { digests: [[128, '1']] }), member('n2', { digests: [[256, '2']] })], 1n)).toThrow(/share no zxid/);
    expect(() => settledReports([member('n1', { digests: [[128, '1']] }), member('n2')], 1n)).toThrow(/gave no digest log/);
  });
});

describe('lostTransactions', () => {
  const z = (path: string, mzxid: bigint, pzxid = 0n, data = 'x', version = 0): Znode => ({ path, version, data, mzxid, pzxid });
  const Z = 0x300000050n;

  it('a setData one member lacks: that member lost it', () => {
    const n1 = { node: 'n1', zxid: Z, tree: [z('/k', 0x300000040n, 0n, '7', 3)] };
    const n2 = { node: 'n2', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '6', 2)] };
    expect(lostTransactions([n1, n2])).toEqual({ proven: [{ node: 'n2', shownBy: 'n1', path: '/k', what: 'data', zxid: 0x300000040n, has: 0x300000020n, reported: Z }] });
  });

  it("a child on one member only: the parent's pzxid proves which member lost the create or the delete", () => {
    const created = { node: 'n1', zxid: Z, tree: [z('/lock', 0n, 0x300000030n), z('/lock/c-1', 0x300000030n)] };
    const missed = { node: 'n2', zxid: Z, tree: [z('/lock', 0n, 0x300000010n)] };
    expect(lostTransactions([created, missed]).proven).toMatchObject([{ node: 'n2', path: '/lock', what: 'children', zxid: 0x300000030n }]);
    // The child deleted on n1 (pzxid moved on), still there on n2: n2 lost the delete.
    const deleted = { node: 'n1', zxid: Z, tree: [z('/lock', 0n, 0x300000045n)] };
    const kept = { node: 'n2', zxid: Z, tree: [z('/lock', 0n, 0x300000030n), z('/lock/c-1', 0x300000030n)] };
    expect(lostTransactions([deleted, kept]).proven).toMatchObject([{ node: 'n2', path: '/lock', what: 'children', zxid: 0x300000045n }]);
    expect(describeLost(lostTransactions([deleted, kept]).proven[0])).toMatch(/^n1 applied transaction 0x300000045, which created or deleted a child of \/lock, and n2 did not/);
  });

  it('the proof sentence is what the Docker and hosts tests accept as a proven divergence, and nothing less', () => {
    // The shape seen in CI: a setData one member lacks at the zxid both report.
    const set = { node: 'n1', zxid: Z, tree: [z('/k', 0x300000045n, 0n, '8', 4)] };
    const lacks = { node: 'n2', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '6', 3)] };
    expect(describeLost(lostTransactions([set, lacks]).proven[0])).toMatch(LOST_TRANSACTION_PROOF);
    expect('replicas diverged at index 5: n1 and n2 differ on /lock').not.toMatch(LOST_TRANSACTION_PROOF);
  });

  it('a stamp past the lacking member\'s reported zxid proves nothing: it may only be behind', () => {
    const ahead = { node: 'n1', zxid: 0x300000060n, tree: [z('/k', 0x300000055n, 0n, '8', 4)] };
    const behind = { node: 'n2', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '6', 2)] };
    expect(lostTransactions([ahead, behind])).toEqual({ proven: [], unexplained: "n2's /k lacks 0x300000055, past the 0x300000050 it reports" });
  });

  it('a stamp gap on a znode that reads the same on both is no proof (a fuzzy snapshot replay can leave a stamp behind)', () => {
    const a = { node: 'n1', zxid: Z, tree: [z('/k', 0x300000040n, 0n, '6', 2), z('/j', 0x300000030n, 0n, '1', 1)] };
    const b = { node: 'n2', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '6', 2), z('/j', 0x300000030n, 0n, '2', 1)] };
    expect(lostTransactions([a, b])).toEqual({ proven: [], unexplained: '/j was last set by 0x300000030 on both n1 and n2, yet reads differently' });
  });

  it('the same stamp with different data: no lost transaction to name, no verdict', () => {
    const a = { node: 'n1', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '6', 2)] };
    const b = { node: 'n2', zxid: Z, tree: [z('/k', 0x300000020n, 0n, '9', 2)] };
    expect(lostTransactions([a, b])).toEqual({ proven: [], unexplained: '/k was last set by 0x300000020 on both n1 and n2, yet reads differently' });
  });

  it('treeReports: equal trees need no proof', () => {
    const t = [z('/k', 0x300000020n)];
    expect(treeReports([{ node: 'n1', tree: t }, { node: 'n2', tree: t }], Z).map((r) => r.proof)).toEqual([undefined, undefined]);
  });
});
