// Each workload's checkers are rebuilt by `faultline analyze` from the
// {name, config} test.json records: the rebuilt checker must be the same one.
import { describe, expect, it } from 'vitest';
import { checkerFromSpec } from '../../checkers/registry.ts';
import { UserError } from '../../history/errors.ts';
import { workloadFor } from '../../workloads/registry.ts';
import { etcdClients } from '../../harness/systems/etcd.ts';
import { HistoryBuilder } from '../invariants/history-builder.ts';

const client = { timeoutMs: 1000, readMode: 'linearizable' as const };

function badHistory(workload: string) {
  const h = new HistoryBuilder();
  switch (workload) {
    case 'set':
      h.op(0, 'add', 1, 'ok');
      h.op(1, 'read', null, 'ok', []);
      break;
    case 'bank':
      h.op(0, 'read', null, 'ok', { 0: 20, 1: 20, 2: 20, 3: 20, 4: 19 });
      break;
    case 'counter':
      h.op(0, 'add', 1, 'ok');
      h.op(1, 'read', null, 'ok', 0);
      break;
    case 'append':
      h.op(0, 'txn', [['append', 1, 1]], 'ok');
      h.op(1, 'txn', [['r', 1, null]], 'ok', [['r', 1, []]]);
      break;
    case 'wr-register':
      h.op(0, 'txn', [['w', 1, 1]], 'ok');
      h.op(1, 'txn', [['r', 1, null]], 'ok', [['r', 1, null]]);
      break;
  }
  return h.ops;
}

describe.each([
  ['set', workloadFor('etcd', etcdClients(client), 'set'), 'set'],
  ['bank', workloadFor('etcd', etcdClients(client), 'bank'), 'bank'],
  ['counter', workloadFor('etcd', etcdClients(client), 'counter'), 'counter'],
  ['append', workloadFor('etcd', etcdClients(client), 'append'), 'elle'],
  ['wr-register', workloadFor('etcd', etcdClients(client), 'wr-register'), 'elle'],
])('%s workload', (name, workload, invariant) => {
  it('names itself, checks history well-formedness and its invariant', () => {
    expect(workload.name).toBe(name);
    expect(workload.checkers.map((c) => c.name)).toEqual(['history', invariant]);
  });

  it('its checkers rebuild from their test.json spec and reach the same verdict on a bad history', async () => {
    const ops = badHistory(name);
    for (const c of workload.checkers) {
      const rebuilt = checkerFromSpec(c.config ? { name: c.name, config: JSON.parse(JSON.stringify(c.config)) } : { name: c.name });
      const [a, b] = await Promise.all([c.check(ops, { nodes: [], workload: name }), rebuilt.check(ops, { nodes: [], workload: name })]);
      expect(rebuilt.config).toEqual(c.config);
      // Same verdict and explanation (details carry timings).
      expect({ valid: b.valid, summary: b.summary }).toEqual({ valid: a.valid, summary: a.summary });
      if (c.name !== 'history') expect(a.valid).toBe(false);
    }
  });
});

it('the bank checker refuses a config without accounts and total', () => {
  expect(() => checkerFromSpec({ name: 'bank', config: { total: 5 } })).toThrow(UserError);
});
