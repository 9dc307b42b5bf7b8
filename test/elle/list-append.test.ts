// Hand-written minimal histories, one per anomaly class, for list-append.
import { describe, expect, it } from 'vitest';
import { check, history, historyInOrder, type T } from './helpers.ts';

const all = { consistencyModels: ['strict-serializable'] };
// A history of one committed transaction has no dependency graph: Elle names
// that too (empty-transaction-graph), next to what the transaction shows alone.
const EMPTY = 'empty-transaction-graph';

describe('list-append anomalies without cycles', () => {
  it('G1a: a value appended by a failed transaction is read', () => {
    const { result, details } = check(history([{ value: [['append', 'x', 1]], type: 'fail' }, { value: [['r', 'x', [1]]] }]), { consistencyModels: ['read-committed'] });
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G1a', EMPTY]);
    expect(details.not).toEqual(['read-committed']);
    expect(details.anomalies.G1a[0].explanation).toMatch(/T\d read T\d's append of 1 to key x, but T\d failed/);
  });

  it('G1b: a read ends in a value its writer later overwrote', () => {
    const { result, details } = check(history([{ value: [['append', 'x', 1], ['append', 'x', 2]] }, { value: [['r', 'x', [1]]] }]), all);
    expect(details.anomalyTypes).toContain('G1b');
    expect(details.not).toEqual(['read-committed']);
    expect(result.valid).toBe(false);
  });

  it('dirty-update: a committed append built on an aborted one', () => {
    const { details } = check(
      history([{ value: [['append', 'x', 1]], type: 'fail' }, { value: [['append', 'x', 2]] }, { value: [['r', 'x', [1, 2]]] }]),
      all,
    );
    expect(details.anomalyTypes).toEqual(expect.arrayContaining(['G1a', 'dirty-update']));
  });

  it('internal: a read contradicts the transaction\'s own earlier append', () => {
    const { result, details } = check(history([{ value: [['append', 'x', 1], ['r', 'x', []]] }]), all);
    expect(details.anomalyTypes).toEqual([EMPTY, 'internal']);
    expect(details.not).toEqual(['snapshot-isolation']);
    expect(result.valid).toBe(false);
  });

  it('internal: two reads in one transaction disagree (non-repeatable read)', () => {
    const { details } = check(
      history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', []], ['r', 'x', [1]]] }]),
      { consistencyModels: ['serializable'] },
    );
    expect(details.anomalyTypes).toContain('internal');
  });

  it('future-read: a read holds a value the transaction appends later', () => {
    const { result, details } = check(history([{ value: [['r', 'x', [1]], ['append', 'x', 1]] }]), all);
    expect(details.anomalyTypes).toEqual([EMPTY, 'future-read']);
    expect(details.not).toEqual(['read-committed']);
    expect(result.valid).toBe(false);
  });

  it('duplicate-elements and incompatible-order', () => {
    const dup = check(history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', [1, 1]]] }]), all);
    expect(dup.details.anomalyTypes).toEqual(['duplicate-elements', EMPTY]);
    expect(dup.result.valid).toBe(false);
    const inc = check(
      history([{ value: [['append', 'x', 1]] }, { value: [['append', 'x', 2]] }, { value: [['r', 'x', [1, 2]]] }, { value: [['r', 'x', [2, 1]]] }]),
      all,
    );
    expect(inc.details.anomalyTypes).toContain('incompatible-order');
    expect(inc.result.valid).toBe(false);
  });

  it('lost-update: two transactions append after reading the same version', () => {
    const { details } = check(
      history([
        { value: [['r', 'x', []], ['append', 'x', 1]] },
        { value: [['r', 'x', []], ['append', 'x', 2]] },
        { value: [['r', 'x', [1, 2]]] },
      ]),
      { consistencyModels: ['snapshot-isolation'] },
    );
    expect(details.anomalyTypes).toContain('lost-update');
    expect(details.not).toContain('snapshot-isolation');
  });

  it('lost-update: found even when the two reads are themselves broken (incompatible with the order)', () => {
    const { result, details } = check(
      history([
        { value: [['append', 'x', 1]] },
        { value: [['append', 'x', 2]] },
        { value: [['r', 'x', [1, 2]]] },
        { value: [['r', 'x', [2, 1]], ['append', 'x', 3]] },
        { value: [['r', 'x', [2, 1]], ['append', 'x', 4]] },
      ]),
      { consistencyModels: ['snapshot-isolation'] },
    );
    expect(details.anomalyTypes).toEqual(expect.arrayContaining(['incompatible-order', 'lost-update']));
    expect(result.valid).toBe(false);
  });

  it('garbage-read: a value nobody appended', () => {
    // Reads alone do not tell the workload: it is named.
    const { result, details } = check(history([{ value: [['r', 'x', [7]]] }]), { ...all, workload: 'list-append' });
    expect(details.anomalyTypes).toEqual([EMPTY, 'garbage-read']);
    expect(details.not).toEqual(['read-uncommitted']);
    expect(result.valid).toBe(false);
  });

  it('a nil read of a key nothing touched is the empty list, not a crash', () => {
    const { result, details } = check(history([{ value: [['r', 'y', null]] }, { value: [['append', 'x', 1]] }], 'sequential'), all);
    expect(result.valid).toBe(true);
    expect(details.anomalyTypes).toEqual([]);
  });
});

describe('list-append cycles', () => {
  it('G0: write cycle', () => {
    const { result, details } = check(
      history([
        { value: [['append', 'x', 1], ['append', 'y', 1]] },
        { value: [['append', 'x', 2], ['append', 'y', 2]] },
        { value: [['r', 'x', [1, 2]], ['r', 'y', [2, 1]]] },
      ]),
      { consistencyModels: ['read-uncommitted'] },
    );
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G0']);
    expect(details.not).toEqual(['read-uncommitted']);
    expect(details.anomalies.G0[0].cycle!.map((s) => s.kind)).toEqual(['ww', 'ww']);
  });

  it('G1c: circular information flow', () => {
    const { details } = check(
      history([{ value: [['append', 'x', 1], ['r', 'y', [1]]] }, { value: [['append', 'y', 1], ['r', 'x', [1]]] }]),
      { consistencyModels: ['read-committed'] },
    );
    expect(details.anomalyTypes).toEqual(['G1c']);
    expect(details.not).toEqual(['read-committed']);
  });

  it('G-single: a fractured read, with a proof-like explanation', () => {
    const { details } = check(
      history([{ value: [['append', 'x', 1], ['append', 'y', 1]] }, { value: [['r', 'x', [1]], ['r', 'y', []]] }]),
      { consistencyModels: ['serializable'] },
    );
    expect(details.anomalyTypes).toEqual(['G-single']);
    // G-single is also a G2-item cycle (all rw edges here are item anti-dependencies).
    expect(details.not).toEqual(['repeatable-read', 'snapshot-isolation']);
    const a = details.anomalies['G-single'][0];
    expect(a.explanation).toMatch(/^Let T1 = \{:index \d+, :process \d+, :type :ok, :value \[.*\]\}, T2 = \{.*\}\. /);
    expect(a.explanation).toContain("because T2 observed T1's append of 1 to key x");
    expect(a.explanation).toContain("because T2 read key y = [] (the initial state) and so did not observe T1's append of 1 to key y");
    expect(a.explanation).toMatch(/: a contradiction\.$/);
    expect(a.cycle!.map((s) => s.kind).sort()).toEqual(['rw', 'wr']);
    expect(JSON.parse(JSON.stringify(details))).toEqual(details); // JSON-serialisable
  });

  it('G-nonadjacent: two rw edges separated by wr edges (not SI)', () => {
    const { details } = check(
      history([
        { value: [['r', 'x', []], ['r', 'w', [1]]] },
        { value: [['append', 'x', 1], ['append', 'y', 1]] },
        { value: [['r', 'y', [1]], ['r', 'z', []]] },
        { value: [['append', 'z', 1], ['append', 'w', 1]] },
      ]),
      { consistencyModels: ['snapshot-isolation'] },
    );
    expect(details.anomalyTypes).toEqual(['G-nonadjacent']);
    expect(details.not).toEqual(['repeatable-read', 'snapshot-isolation']);
  });

  it('G2-item: write skew is serializability\'s problem, not snapshot isolation\'s', () => {
    const ops = history([
      { value: [['r', 'x', []], ['append', 'y', 1]] },
      { value: [['r', 'y', []], ['append', 'x', 1]] },
    ]);
    const si = check(ops, { consistencyModels: ['snapshot-isolation'] });
    expect(si.result.valid).toBe(true);
    expect(si.details.anomalyTypes).toEqual(['G2-item']);
    expect(si.details.not).toEqual(['repeatable-read']);
    const ser = check(ops, { consistencyModels: ['serializable'] });
    expect(ser.result.valid).toBe(false);
  });

  it('G-single-realtime: a stale read after a completed append', () => {
    const ops = history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', []]] }], 'sequential');
    const { result, details } = check(ops, all);
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G-single-realtime']);
    expect(details.not).toEqual(['strong-snapshot-isolation']);
    expect(details.alsoNot).toContain('strict-serializable');
    expect(details.anomalies['G-single-realtime'][0].explanation).toMatch(/T1 < T2 because T1 completed \(index 1\) before T2 was invoked \(index 2\)/);
    // Serializability alone allows it.
    expect(check(ops, { consistencyModels: ['serializable'] }).result.valid).toBe(true);
  });

  it('G-single-process: a process does not see its own earlier append', () => {
    const ops = history([{ value: [['append', 'x', 1]], process: 3 }, { value: [['r', 'x', []]], process: 3 }], 'sequential');
    const { details } = check(ops, { consistencyModels: ['strong-session-snapshot-isolation'] });
    expect(details.anomalyTypes).toEqual(['G-single-process']);
    expect(details.not).toEqual(['strong-session-snapshot-isolation']);
  });

  // The -realtime and -process variants of the other classes: the cycle needs an edge
  // from real time (one transaction completed before the other was invoked) or from
  // one process's order, so serializability alone allows each history.
  const variants = {
    // T1 appends 1, then T2 appends 2, yet a read puts 2 before 1.
    G0: [[{ value: [['append', 'x', 1]] }, { value: [['append', 'x', 2]] }, { value: [['r', 'x', [2, 1]]] }], 'i0 c0 i1 c1 i2 c2'],
    // T0 reads the append T1 makes later (same process, one after the other).
    G1c: [[{ value: [['r', 'x', [1]]], process: 5 }, { value: [['append', 'x', 1]], process: 5 }], 'i0 c0 i1 c1'],
    // T0 misses T1's append, T1 misses T2's, and T2 completed before T0 began.
    'G2-item': [[{ value: [['r', 'x', []]], process: 7 }, { value: [['append', 'x', 1], ['r', 'y', []]] }, { value: [['append', 'y', 1]], process: 7 }], 'i1 i2 c2 i0 c0 c1'],
    // Two rw edges apart: T0 misses T1's x, T2 reads T1's y but misses T3's z, T3 completed before T0 began.
    'G-nonadjacent': [
      [{ value: [['r', 'x', []]], process: 9 }, { value: [['append', 'x', 1], ['append', 'y', 1]] }, { value: [['r', 'y', [1]], ['r', 'z', []]] }, { value: [['append', 'z', 1]], process: 9 }],
      'i2 i3 i1 c3 i0 c1 c2 c0',
    ],
  } as const satisfies Record<string, readonly [T[], string]>;

  it.each(Object.entries(variants))('%s with -realtime / -process: the cycle closes only through real time or process order', (name, [txns, events]) => {
    const ops = historyInOrder([...txns], events);
    const strict = check(ops, { consistencyModels: ['strict-serializable'] });
    expect(strict.result.valid).toBe(false);
    expect(strict.details.anomalyTypes).toContain(`${name}-realtime`);
    expect(strict.details.anomalyTypes.every((a) => a.endsWith('-realtime') || a.endsWith('-process'))).toBe(true);
    expect(check(ops, { consistencyModels: ['serializable'] }).result.valid).toBe(true);
    // The same process on the two ends of the real-time edge makes it a process edge too.
    const session = check(ops, { consistencyModels: ['strong-session-serializable'] });
    if (name === 'G0') expect(session.result.valid).toBe(true); // two processes: no process edge
    else {
      expect(session.result.valid).toBe(false);
      expect(session.details.anomalyTypes).toEqual([`${name}-process`]);
    }
  });

  it('a valid history is valid for every model', () => {
    const ops = history(
      [
        { value: [['append', 'x', 1], ['r', 'y', []]] },
        { value: [['r', 'x', [1]], ['append', 'y', 1]] },
        { value: [['r', 'x', [1]], ['r', 'y', [1]]] },
      ],
      'sequential',
    );
    const { result, details } = check(ops, all);
    expect(result.valid).toBe(true);
    expect(details.anomalyTypes).toEqual([]);
  });
});
