// The raftkv workload clients against real server processes on loopback
// (LocalCluster: the same bundle the containers run): each op's completion,
// following not-leader answers to the leader, and the outcome rules:
// a definite refusal is fail, a write that may still commit is info, a read
// that could not be served is fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster } from '../../clusters/raftkv/local-cluster.ts';
import type { Op } from '../../history/op.ts';
import type { Client } from '../../workloads/workload.ts';
import { RaftkvRegisterClient } from '../../workloads/register/index.ts';
import { REFUSED_BACKOFF_MS } from '../../workloads/etcd/outcome.ts';
import { RaftkvSetClient } from '../../workloads/set/index.ts';
import { RaftkvBankClient } from '../../workloads/bank/index.ts';
import { RaftkvCounterClient } from '../../workloads/counter/index.ts';
import { RaftkvTxnClient } from '../../workloads/append/index.ts';

let cluster: LocalCluster;
let urls: Record<string, string>;
let leader: string;
let follower: string;

beforeAll(async () => {
  cluster = await LocalCluster.create(3);
  await cluster.startAll();
  leader = await cluster.leader();
  follower = cluster.nodes.find((n) => n.id !== leader)!.id;
  urls = Object.fromEntries(cluster.nodes.map((n) => [n.id, `http://127.0.0.1:${n.clientPort}`]));
}, 60_000);
afterAll(async () => cluster?.stopAll());

const op = (f: string, value: unknown): Op => ({ index: 0, time: 0, process: 0, type: 'invoke', f, value });
const opts = () => ({ urls, timeoutMs: 5000 });

async function opened<C extends Client>(client: C, node: string): Promise<C> {
  await client.open(node);
  return client;
}

describe('raftkv workload clients', () => {
  it('register: write, read and cas through a follower (not-leader answers are followed to the leader); a cas mismatch is a fail', async () => {
    const c = await opened(new RaftkvRegisterClient(opts()), follower);
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, null] });
    expect(await c.invoke(op('write', [1, 10]))).toEqual({ type: 'ok', value: [1, 10] });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, 10] });
    expect(await c.invoke(op('cas', [1, [10, 11]]))).toEqual({ type: 'ok', value: [1, [10, 11]] });
    expect(await c.invoke(op('cas', [1, [10, 12]]))).toMatchObject({ type: 'fail', error: 'cas-mismatch' });
    expect(await c.invoke(op('read', [1, null]))).toEqual({ type: 'ok', value: [1, 11] });
  });

  it('set: adds append to one list, a read answers it sorted', async () => {
    const c = await opened(new RaftkvSetClient(opts()), leader);
    for (const e of [5, 2, 9]) expect(await c.invoke(op('add', e))).toEqual({ type: 'ok', value: e });
    expect(await c.invoke(op('read', null))).toEqual({ type: 'ok', value: [2, 5, 9] });
  });

  it('bank: opening creates the accounts once, whichever client is first; an overdraft is a fail and moves nothing', async () => {
    const bank = { ...opts(), accounts: 3, total: 30 };
    const [a, b] = await Promise.all([opened(new RaftkvBankClient(bank), leader), opened(new RaftkvBankClient(bank), follower)]);
    expect(await a.invoke(op('transfer', { from: 0, to: 2, amount: 4 }))).toEqual({ type: 'ok', value: { from: 0, to: 2, amount: 4 } });
    await opened(new RaftkvBankClient(bank), follower); // a late opener must not reset the balances
    expect(await b.invoke(op('transfer', { from: 1, to: 0, amount: 11 }))).toMatchObject({ type: 'fail', error: 'insufficient-funds' });
    expect(await b.invoke(op('read', null))).toEqual({ type: 'ok', value: { 0: 6, 1: 10, 2: 14 } });
  });

  it('counter: concurrent adds are applied in the log, none lost', async () => {
    const clients = await Promise.all(cluster.nodes.map((n) => opened(new RaftkvCounterClient(opts()), n.id)));
    const results = await Promise.all(clients.flatMap((c) => [1, 2, 3, 4].map((d) => c.invoke(op('add', d)))));
    expect(results.every((r) => r.type === 'ok')).toBe(true);
    expect(await clients[0].invoke(op('read', null))).toEqual({ type: 'ok', value: 30 });
  });

  it('append and wr-register: micro-ops on prefixed keys, reads filled in (absent list [] / register null)', async () => {
    const lists = await opened(new RaftkvTxnClient({ ...opts(), write: 'append', prefix: 'append/' }), follower);
    expect(await lists.invoke(op('txn', [['r', 7, null], ['append', 7, 1], ['append', 7, 2], ['r', 7, null]]))).toEqual({
      type: 'ok',
      value: [['r', 7, []], ['append', 7, 1], ['append', 7, 2], ['r', 7, [1, 2]]],
    });
    const regs = await opened(new RaftkvTxnClient({ ...opts(), write: 'w', prefix: 'wr/' }), leader);
    expect(await regs.invoke(op('txn', [['r', 7, null], ['w', 7, 3]]))).toEqual({ type: 'ok', value: [['r', 7, null], ['w', 7, 3]] });
    expect(await regs.invoke(op('txn', [['r', 7, null]]))).toEqual({ type: 'ok', value: [['r', 7, 3]] });
  });

  // Last: it kills nodes.
  it('outcomes: without a quorum a write may still commit (info), a read is a fail; a dead node refuses (fail)', async () => {
    const others = cluster.nodes.filter((n) => n.id !== leader).map((n) => n.id);
    await Promise.all(others.map((id) => cluster.kill(id)));
    // A short budget, so the leader's answer (timed out waiting for commit) comes before check-quorum deposes it.
    const c = await opened(new RaftkvRegisterClient({ urls, timeoutMs: 150 }), leader);
    // Proposed but not committable: never ok, never a definite fail, whether the answer is the timeout or a deposed leader's.
    expect(await c.invoke(op('write', [2, 1]))).toMatchObject({ type: 'info' });
    expect((await c.invoke(op('read', [2, null]))).type).toBe('fail');
    const dead = await opened(new RaftkvRegisterClient(opts()), others[0]);
    const t0 = Date.now();
    expect(await dead.invoke(op('write', [2, 2]))).toMatchObject({ type: 'fail', error: expect.stringContaining('ECONNREFUSED') });
    // ...after a short pause, so workers on a dead node do not spin.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(REFUSED_BACKOFF_MS - 5);
  });
});
