// When the elle checker may say valid: not without evidence (no transactions,
// no dependency between them), and not when an anomaly asked for by name is there.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { check, history, historyInOrder } from './helpers.ts';

// Write skew: each reads the initial state of the key the other appends to.
const writeSkew = history([
  { value: [['r', 'x', []], ['append', 'y', 1]] },
  { value: [['r', 'y', []], ['append', 'x', 1]] },
]);

describe('no evidence is no pass', () => {
  it('a history without transactions is unknown: no transactions to check', () => {
    for (const ops of [[], [{ index: 0, time: 0, process: 0, type: 'invoke', f: 'read', value: null }, { index: 1, time: 1, process: 0, type: 'ok', f: 'read', value: 3 }]] as Op[][]) {
      const { result, details } = check(ops);
      expect(result.valid).toBe('unknown');
      expect(result.summary).toMatch(/no transactions to check/);
      expect(details.unknownReasons).toEqual(['no-transactions']);
      expect(details.stats.txns).toBe(0);
      expect(details.workload).toBeNull();
    }
  });

  it('concurrent blind writes: no dependency can be inferred, so unknown (empty-transaction-graph), as Elle says', () => {
    const { result, details } = check(history([{ value: [['w', 'x', 1]] }, { value: [['w', 'y', 1]] }]));
    expect(result.valid).toBe('unknown');
    expect(details.unknownReasons).toEqual(['empty-transaction-graph']);
    expect(details.anomalyTypes).toEqual(['empty-transaction-graph']);
    expect(details.stats.edges).toBe(0);
    expect(result.summary).toMatch(/^rw-register \(from the micro-ops\): unknown: no dependency between its 2 transactions could be inferred/);
  });

  it('one transaction alone is unknown, and so is a history whose only order the models ignore', () => {
    expect(check(history([{ value: [['append', 'x', 1]] }])).result.valid).toBe('unknown');
    // One after the other: strict serializability uses that real-time order, serializability does not.
    const sequential = history([{ value: [['append', 'x', 1]] }, { value: [['append', 'y', 1]] }], 'sequential');
    expect(check(sequential, { consistencyModels: ['strict-serializable'] }).result.valid).toBe(true);
    expect(check(sequential, { consistencyModels: ['serializable'] }).result.valid).toBe('unknown');
  });

  it('an anomaly in a single transaction still makes it invalid', () => {
    const { result, details } = check(history([{ value: [['append', 'x', 1], ['r', 'x', [1, 1]]] }]));
    expect(details.anomalyTypes).toContain('empty-transaction-graph');
    expect(result.valid).toBe(false);
  });
});

describe('anomalies asked for by name (Elle\'s :anomalies)', () => {
  it('write skew passes snapshot isolation, but not when G2-item is asked for', () => {
    expect(check(writeSkew, { consistencyModels: ['snapshot-isolation'] }).result.valid).toBe(true);
    const { result, details } = check(writeSkew, { consistencyModels: ['snapshot-isolation'], anomalies: ['G2-item'] });
    expect(result.valid).toBe(false);
    expect(details.anomaliesAsked).toEqual(['G2-item']);
    expect(details.anomaliesFound).toEqual(['G2-item']);
    expect(details.not).toEqual(['repeatable-read']); // the models still say what they said
    expect(result.summary).toMatch(/G2-item present/);
  });

  it('an anomaly that implies the asked one counts (G-single is a G2-item); one that does not, does not', () => {
    const fractured = history([{ value: [['append', 'x', 1], ['append', 'y', 1]] }, { value: [['r', 'x', [1]], ['r', 'y', []]] }]);
    const g2 = check(fractured, { consistencyModels: ['read-committed'], anomalies: ['G2-item'] });
    expect(g2.details.anomalyTypes).toEqual(['G-single']);
    expect(g2.result.valid).toBe(false);
    expect(check(writeSkew, { consistencyModels: ['read-committed'], anomalies: ['G-single', 'G1c'] }).result.valid).toBe(true);
  });

  it('lost-update, allowed by read committed, fails the check when asked for', () => {
    const lost = history([
      { value: [['r', 'x', []], ['append', 'x', 1]] },
      { value: [['r', 'x', []], ['append', 'x', 2]] },
      { value: [['r', 'x', [1, 2]]] },
    ]);
    expect(check(lost, { consistencyModels: ['read-committed'] }).result.valid).toBe(true);
    const asked = check(lost, { consistencyModels: ['read-committed'], anomalies: [':lost-update'] });
    expect(asked.result.valid).toBe(false);
    expect(asked.details.anomaliesFound).toEqual(['lost-update']);
  });

  it('a -realtime class asked for brings the real-time edges it needs, whatever the models', () => {
    const stale = history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', []]] }], 'sequential');
    expect(check(stale, { consistencyModels: ['serializable'] }).result.valid).toBe(true);
    const { result, details } = check(stale, { consistencyModels: ['serializable'], anomalies: ['G-single-realtime'] });
    expect(result.valid).toBe(false);
    expect(details.anomaliesFound).toEqual(['G-single-realtime']);
  });

  it('names are checked (any case, Elle\'s leading colon allowed)', () => {
    expect(check(writeSkew, { consistencyModels: ['snapshot-isolation'], anomalies: ['g2-item'] }).details.anomaliesAsked).toEqual(['G2-item']);
    expect(() => check(writeSkew, { anomalies: ['G7'] })).toThrow(/unknown anomaly 'G7'/);
  });

  it('when the cycle search runs out of time before ruling out an asked-for class, the verdict is unknown', () => {
    const asked = { consistencyModels: ['snapshot-isolation'], anomalies: ['G-single'] };
    expect(check(writeSkew, asked).result.valid).toBe(true);
    const { result, details } = check(writeSkew, { ...asked, cycleSearchTimeoutMs: 0 });
    expect(result.valid).toBe('unknown');
    expect(details.unknownReasons).toEqual(['cycle-search-timeout']);
    expect(result.summary).toMatch(/ran out of time before ruling out G-single/);
    // The same for a class a cycle would imply (G2: a G2-item cycle here, once the search gets to run).
    expect(check(writeSkew, { consistencyModels: ['snapshot-isolation'], anomalies: ['G2'] }).result.valid).toBe(false);
    expect(check(writeSkew, { consistencyModels: ['snapshot-isolation'], anomalies: ['G2'], cycleSearchTimeoutMs: 0 }).result.valid).toBe('unknown');
    // Models alone are decided exactly, budget or not.
    expect(check(writeSkew, { consistencyModels: ['snapshot-isolation'], cycleSearchTimeoutMs: 0 }).result.valid).toBe(true);
  });

  it('G0-process asked for: process order is added to the graph', () => {
    // Process 4 appends 1 then 2 to x, yet a read puts 2 before 1.
    const ops = historyInOrder([{ value: [['append', 'x', 1]], process: 4 }, { value: [['append', 'x', 2]], process: 4 }, { value: [['r', 'x', [2, 1]]] }], 'i0 c0 i1 i2 c1 c2');
    expect(check(ops, { consistencyModels: ['read-uncommitted'] }).result.valid).toBe(true);
    expect(check(ops, { consistencyModels: ['read-uncommitted'], anomalies: ['G0-process'] }).result.valid).toBe(false);
  });
});
