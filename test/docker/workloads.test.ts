// Real etcd, healthy cluster: each workload's client, generator and checker
// agree end to end. A healthy etcd must pass every invariant, with plenty of
// acknowledged ops (so the checkers had something to judge). The runs go one
// after another: run side by side, four clusters' fsyncs slowed etcd to a few
// ops/s each on this machine.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { analyzeRun } from '../../harness/analyze.ts';
import { etcdSystem } from '../../harness/systems/etcd.ts';
import { counterWorkload, EtcdCounterClient } from '../../workloads/counter/index.ts';
import { appendWorkload, EtcdTxnClient } from '../../workloads/append/index.ts';
import type { Workload } from '../../workloads/workload.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { runTest, type RunOutcome } from '../../harness/run/index.ts';
import type { BankDetails, CounterDetails, SetDetails } from '../../checkers/invariants/index.ts';
import type { ElleDetails } from '../../checkers/elle/index.ts';

const store = mkdtempSync(join(tmpdir(), 'faultline-workloads-'));

beforeAll(async () => {
  await ensureEnvironment();
});

function run(workload: string): Promise<RunOutcome> {
  const args = { workload, nemesis: 'none', timeLimit: 5, rate: 50, opTimeout: 5000, readMode: 'linearizable' as const };
  return runTest(etcdSystem.test(args, ['n1', 'n2', 'n3'], 1), { store, opTimeoutMs: 5000, status: 'off', handleSignals: false });
}

function details<T>(out: RunOutcome, checker: string): T {
  return out.results.checkers.find((c) => c.checker === checker)!.details as T;
}

/** Every checker valid, at least `minOk` ok completions, and `faultline analyze` (checkers rebuilt from test.json) agrees. */
async function expectValid(out: RunOutcome, minOk: number): Promise<void> {
  for (const c of out.results.checkers) expect({ checker: c.checker, valid: c.valid, summary: c.summary }).toMatchObject({ valid: true });
  expect(out.results.valid).toBe(true);
  expect(out.history.filter((o) => o.type === 'ok').length).toBeGreaterThanOrEqual(minOk);
  const again = await analyzeRun(out.dir);
  expect(again.checkers.map((c) => [c.checker, c.valid, c.summary])).toEqual(out.results.checkers.map((c) => [c.checker, c.valid, c.summary]));
}

describe('workloads against healthy etcd (3 nodes, 5 s, 50 ops/s)', () => {
  it('set: every acknowledged add is in the final reads, one read through each node', async () => {
    const out = await run('set');
    await expectValid(out, 60);
    const d = details<SetDetails>(out, 'set');
    expect(d.ok).toBeGreaterThanOrEqual(50);
    expect(d.lost).toBe(0);
    const readers = new Set(out.history.filter((o) => o.f === 'read' && o.type === 'ok').map((o) => o.node));
    expect(readers).toEqual(new Set(['n1', 'n2', 'n3']));
  });

  it('bank: transfers commit and every snapshot conserves the total', async () => {
    const out = await run('bank');
    await expectValid(out, 40);
    const d = details<BankDetails>(out, 'bank');
    expect(d.transfers.ok).toBeGreaterThanOrEqual(20);
    expect(d.reads).toBeGreaterThanOrEqual(20);
    // Money moved: some read shows balances other than the opening 20 each.
    const reads = out.history.filter((o) => o.f === 'read' && o.type === 'ok').map((o) => Object.values(o.value as Record<string, number>));
    expect(reads.some((b) => b.some((x) => x !== 20))).toBe(true);
  });

  it('counter: reads stay within the acknowledged/attempted bounds', async () => {
    const out = await run('counter');
    await expectValid(out, 40);
    const d = details<CounterDetails>(out, 'counter');
    expect(d.adds.ok).toBeGreaterThanOrEqual(15);
    expect(d.final.lower).toBeGreaterThan(0);
    // The final reads (every add acknowledged) see at least the acknowledged sum.
    const lastRead = out.history.filter((o) => o.f === 'read' && o.type === 'ok').at(-1)!;
    expect(lastRead.value).toBeGreaterThanOrEqual(d.final.lower);
  });

  it('append: strict serializable per Elle, with reads that observed appends', async () => {
    const out = await run('append');
    await expectValid(out, 40);
    const d = details<ElleDetails>(out, 'elle');
    expect(d.workload).toBe('list-append');
    expect(d.stats.ok).toBeGreaterThanOrEqual(40);
    const longReads = out.history.filter(
      (o) => o.f === 'txn' && o.type === 'ok' && (o.value as Array<[string, number, unknown]>).some(([f, , v]) => f === 'r' && Array.isArray(v) && v.length >= 3),
    );
    expect(longReads.length).toBeGreaterThan(5);
  });

  it('wr-register: strict serializable per Elle', async () => {
    const out = await run('wr-register');
    await expectValid(out, 40);
    const d = details<ElleDetails>(out, 'elle');
    expect(d.workload).toBe('rw-register');
    expect(d.stats.ok).toBeGreaterThanOrEqual(40);
    const readValues = out.history.filter((o) => o.f === 'txn' && o.type === 'ok').flatMap((o) => (o.value as Array<[string, number, unknown]>).filter(([f, , v]) => f === 'r' && v !== null));
    expect(readValues.length).toBeGreaterThan(10);
  });

  // Deliberately broken clients (writes without the mod_revision guard, as
  // fast as the workers go so read-modify-writes overlap): the checkers must
  // say invalid on real etcd histories, or the green runs above prove nothing.
  const broken = (workload: Workload<DockerClusterInfo>): Promise<RunOutcome> => {
    const args = { workload: workload.name, nemesis: 'none', timeLimit: 3, opTimeout: 5000, readMode: 'linearizable' as const };
    const test = etcdSystem.test(args, ['n1', 'n2', 'n3'], 1);
    test.workload = workload;
    return runTest(test, { store, opTimeoutMs: 5000, status: 'off', handleSignals: false });
  };
  const client = { timeoutMs: 5000, readMode: 'linearizable' as const };

  it('a counter client without the guard loses increments, and the counter checker says so', async () => {
    const out = await broken(
      counterWorkload((info) => new EtcdCounterClient({ ...client, urls: info.urls, maxAttempts: 10, unsafeSkipGuard: true }), { readFraction: 0.2 }),
    );
    const counter = out.results.checkers.find((c) => c.checker === 'counter')!;
    expect(counter.valid).toBe(false);
    expect(counter.summary).toMatch(/below/);
    expect(out.results.valid).toBe(false);
  });

  it('an append client without the guard loses appends, and Elle says not strict-serializable', async () => {
    const out = await broken(
      appendWorkload((info, keys) => new EtcdTxnClient({ ...client, urls: info.urls, ...keys, maxAttempts: 5, unsafeSkipGuard: true }), { activeKeys: 3 }),
    );
    const elle = out.results.checkers.find((c) => c.checker === 'elle')!;
    expect(elle.valid).toBe(false);
    const types = (elle.details as ElleDetails).anomalyTypes;
    expect(types.some((t) => t === 'lost-update' || t === 'incompatible-order')).toBe(true);
  });
});
