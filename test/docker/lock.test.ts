// The etcd lock workload with no faults: the lock client itself must not
// produce a false alarm (leases kept alive, one holder at a time), and locks
// actually change hands.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { etcdSystem } from '../../harness/systems/etcd.ts';
import { runTest } from '../../harness/run/index.ts';

beforeAll(async () => {
  await ensureEnvironment();
});

describe('etcd lock workload, healthy cluster', () => {
  it('is linearizable against the mutex model, with acquires that waited for a release', async () => {
    const args = { workload: 'lock', nemesis: 'none', concurrency: 3, timeLimit: 15, opTimeout: 10_000, readMode: 'linearizable' as const };
    const out = await runTest(etcdSystem.test(args, ['n1', 'n2', 'n3'], 3), {
      store: mkdtempSync(join(tmpdir(), 'faultline-lock-')),
      opTimeoutMs: 10_000,
      status: 'off',
      handleSignals: false,
    });
    for (const c of out.results.checkers) expect({ checker: c.checker, valid: c.valid, summary: c.summary }).toMatchObject({ valid: true });
    const acquired = out.history.filter((o) => o.f === 'acquire' && o.type === 'ok');
    const released = out.history.filter((o) => o.f === 'release' && o.type === 'ok');
    expect(acquired.length).toBeGreaterThanOrEqual(3);
    expect(released.length).toBeGreaterThanOrEqual(2);
    // Handed over: more than one client held the lock.
    expect(new Set(acquired.map((o) => o.node)).size).toBeGreaterThanOrEqual(2);
  });
});
