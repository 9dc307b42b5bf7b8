// The divergence checker on hand-written histories: the final-phase
// state-hash reports, one per node, compared at a common index.
import { describe, expect, it } from 'vitest';
import { checkDivergence, firstDifferingKeys, withoutStateHashes, type DivergenceDetails, type StateReport } from '../../checkers/divergence.ts';
import { checkerFromSpec } from '../../checkers/registry.ts';
import type { History, Op } from '../../history/op.ts';

const nodes = ['n1', 'n2', 'n3'];

/** One state-hash op per entry: a report (ok) or an error text (fail). */
function history(entries: Array<StateReport | { node: string; error: string }>, prefix: Op[] = []): History {
  const ops: Op[] = prefix.map((o, i) => ({ ...o, index: i, time: i }));
  entries.forEach((e, p) => {
    const at = ops.length;
    ops.push({ index: at, time: at, process: 100 + p, type: 'invoke', f: 'state-hash', value: null, node: e.node });
    ops.push(
      'error' in e
        ? { index: at + 1, time: at + 1, process: 100 + p, type: 'fail', f: 'state-hash', value: null, node: e.node, error: e.error }
        : { index: at + 1, time: at + 1, process: 100 + p, type: 'ok', f: 'state-hash', value: e, node: e.node },
    );
  });
  return ops;
}

const keys = (o: Record<string, string>): Array<[string, string]> => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));

describe('divergence checker', () => {
  it('is valid when every node has the same hash at the same index', () => {
    const r = checkDivergence(
      history(nodes.map((node) => ({ node, index: 42, hash: 'abc' }))),
      { nodes },
    );
    expect(r.valid).toBe(true);
    expect(r.summary).toContain('all 3 nodes agree');
    expect((r.details as DivergenceDetails).commonIndex).toBe(42);
  });

  it('names the one member whose hash differs, and its first differing key', () => {
    const good = keys({ a: '1', b: '2', c: '3' });
    const bad = keys({ a: '1', b: '7', c: '3' });
    const r = checkDivergence(
      history([
        { node: 'n1', index: 9, hash: 'h1', keys: good, keysIndex: 9 },
        { node: 'n2', index: 9, hash: 'h2', keys: bad, keysIndex: 9 },
        { node: 'n3', index: 9, hash: 'h1', keys: good, keysIndex: 9 },
      ]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    const d = r.details as DivergenceDetails;
    expect(d.divergent.map((m) => m.node)).toEqual(['n2']);
    expect(d.divergent[0].firstDifferingKeys).toEqual([{ key: 'b', reference: '2', member: '7' }]);
    expect(d.reference).toMatchObject({ hash: 'h1', members: ['n1', 'n3'] });
    expect(r.summary).toContain('n2');
    expect(r.summary).toContain('b (n2 "7", n1 "2")');
    // The blamed op is n2's state-hash invoke.
    expect(d.divergent[0].op).toBe(2);
  });

  it("quotes a member's proof once, whichever side of the majority it is on", () => {
    const proof = 'n2 applied transaction 0x105, which set /k\'s data, and n1 did not';
    const r = checkDivergence(
      history([
        { node: 'n1', index: 9, hash: 'h1', proof },
        { node: 'n2', index: 9, hash: 'h2' },
        { node: 'n3', index: 9, hash: 'h1', proof },
      ]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    expect(r.summary).toBe(`replicas diverged at index 9: n1, n3 agree on h1, but n2 has hash h2; ${proof}`);
  });

  it('compares the hash histories: a member damaged and later overwritten is invalid, named with the first index', () => {
    const hist = (bad: boolean): Array<[number, string]> => [[7, 'x7'], [8, bad ? 'BAD8' : 'x8'], [9, bad ? 'BAD9' : 'x9'], [12, 'x12']];
    const r = checkDivergence(
      history([
        { node: 'n1', index: 12, hash: 'x12', history: hist(false) },
        { node: 'n2', index: 12, hash: 'x12', history: hist(true) },
        { node: 'n3', index: 12, hash: 'x12', history: hist(false).filter(([i]) => i !== 8) }, // n3 skipped 8 (a snapshot): not compared there
      ]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    expect((r.details as DivergenceDetails).earlier).toEqual({ index: 8, reference: { hash: 'x8', members: ['n1'] }, divergent: [{ node: 'n2', hash: 'BAD8' }] });
    expect(r.summary).toContain('diverged earlier');
    expect(r.summary).toContain('at index 8 n2 had BAD8 while n1 had x8');
    expect(r.summary).toContain('agree again at index 12');
  });

  it('stuck nodes report where they are: no common final index, but differing histories are still invalid', () => {
    const r = checkDivergence(
      history([
        { node: 'n1', index: 10, hash: 'a10', history: [[9, 'a9'], [10, 'a10']] },
        { node: 'n2', index: 11, hash: 'b11', history: [[9, 'b9'], [10, 'b10'], [11, 'b11']] },
        { node: 'n3', error: 'no hash at index 12: timeout' },
      ]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/^replicas diverged: at index 9 n2 had b9 while n1 had a9 \(no common final index/);
  });

  it('histories that agree wherever two members hashed the same index stay valid', () => {
    const r = checkDivergence(
      history([
        { node: 'n1', index: 5, hash: 'x5', history: [[1, 'x1'], [2, 'x2'], [5, 'x5']] },
        { node: 'n2', index: 5, hash: 'x5', history: [[4, 'x4'], [5, 'x5']] },
        { node: 'n3', index: 5, hash: 'x5' },
      ]),
      { nodes },
    );
    expect(r.valid).toBe(true);
  });

  it('leaves keys out when a listing is not at the common index', () => {
    const r = checkDivergence(
      history([
        { node: 'n1', index: 9, hash: 'h1', keys: keys({ a: '1' }), keysIndex: 9 },
        { node: 'n2', index: 9, hash: 'h2', keys: keys({ a: '2' }), keysIndex: 10 },
        { node: 'n3', index: 9, hash: 'h1' },
      ]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    expect((r.details as DivergenceDetails).divergent[0].firstDifferingKeys).toBeUndefined();
  });

  it('is unknown when the nodes could not report at a common index', () => {
    const r = checkDivergence(
      history([
        { node: 'n1', index: 5, hash: 'h1' },
        { node: 'n2', index: 6, hash: 'h1' },
        { node: 'n3', error: 'timeout waiting for index 6' },
      ]),
      { nodes },
    );
    expect(r.valid).toBe('unknown');
    expect(r.summary).toContain('n3 (timeout waiting for index 6)');
  });

  it('is unknown (not valid) when the reporters agree but a node is missing', () => {
    const r = checkDivergence(history([{ node: 'n1', index: 5, hash: 'h' }, { node: 'n2', index: 5, hash: 'h' }]), { nodes });
    expect(r.valid).toBe('unknown');
    expect((r.details as DivergenceDetails).missing).toEqual([{ node: 'n3', reason: 'no state-hash op' }]);
  });

  it('follows the membership: a node out of the cluster at the end is left out, not missing', () => {
    const out = { node: 'n3', index: 9, hash: 'not a member', notMember: true as const };
    const agree = checkDivergence(history([{ node: 'n1', index: 9, hash: 'h' }, { node: 'n2', index: 9, hash: 'h' }, out]), { nodes });
    expect(agree.valid).toBe(true);
    expect(agree.summary).toBe('all 2 nodes agree on state hash h at index 9 (n3 is not a member at the end: not compared)');
    expect((agree.details as DivergenceDetails).nonMembers).toEqual(['n3']);
    expect((agree.details as DivergenceDetails).missing).toEqual([]);
    // Its "hash" never counts as a state: the two members that differ still do.
    const differ = checkDivergence(history([{ node: 'n1', index: 9, hash: 'h' }, { node: 'n2', index: 9, hash: 'x' }, out]), { nodes });
    expect(differ.valid).toBe(false);
    expect(differ.summary).toMatch(/n3 is not a member at the end/);
  });

  it('is still invalid when a node is missing but two reporters differ', () => {
    const r = checkDivergence(
      history([{ node: 'n1', index: 5, hash: 'x' }, { node: 'n2', index: 5, hash: 'y' }, { node: 'n3', error: 'refused' }]),
      { nodes },
    );
    expect(r.valid).toBe(false);
    expect((r.details as DivergenceDetails).divergent.map((m) => m.node)).toEqual(['n2']);
  });

  it('is unknown when there are no state-hash ops at all', () => {
    expect(checkDivergence([], { nodes }).valid).toBe('unknown');
  });

  it('keeps a node\'s later report when it was asked twice', () => {
    const r = checkDivergence(
      history([
        { node: 'n1', error: 'timeout' },
        ...nodes.map((node) => ({ node, index: 3, hash: 'same' })),
      ]),
      { nodes },
    );
    expect(r.valid).toBe(true);
  });

  it('a later failed report replaces an earlier ok one: that node\'s final state is unknown, so the verdict is too', () => {
    const r = checkDivergence(
      history([
        ...nodes.map((node) => ({ node, index: 3, hash: 'same' })),
        { node: 'n2', error: 'timeout' },
      ]),
      { nodes },
    );
    expect(r.valid).toBe('unknown');
    expect(r.summary).toMatch(/n2 \(timeout\)/);
  });

  it('diffs sorted key listings: changed, missing and extra keys', () => {
    expect(firstDifferingKeys(keys({ a: '1', c: '3', d: '4' }), keys({ a: '1', b: '2', c: '9' }))).toEqual([
      { key: 'b', reference: null, member: '2' },
      { key: 'c', reference: '3', member: '9' },
      { key: 'd', reference: '4', member: null },
    ]);
  });

  it('is registered, and linearizability ignores state-hash ops', async () => {
    const reads: Op[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'write', value: [1, 5] },
      { index: 1, time: 1, process: 0, type: 'ok', f: 'write', value: [1, 5] },
      { index: 2, time: 2, process: 0, type: 'invoke', f: 'read', value: [1, null] },
      { index: 3, time: 3, process: 0, type: 'ok', f: 'read', value: [1, 5] },
    ];
    const h = history(nodes.map((node) => ({ node, index: 2, hash: 'h' })), reads);
    expect(withoutStateHashes(h)).toHaveLength(4);
    const lin = checkerFromSpec({ name: 'linearizability', config: { model: 'kv-cas-register', nilRead: 'absent' } });
    expect((await lin.check(h, { nodes, workload: 'register' })).valid).toBe(true);
    const div = checkerFromSpec({ name: 'divergence' });
    expect((await div.check(h, { nodes, workload: 'register' })).valid).toBe(true);
  });
});
