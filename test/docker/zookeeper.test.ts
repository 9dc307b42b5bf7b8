// ZooKeeper end to end against the real engine: a 3-member ensemble from
// clusters/zookeeper/zookeeper.yaml under partitions, kills and pauses with
// sync + getData reads (so every ok read went through our sync against a
// real server) and every member's synced tree compared after the heal, and
// the lock recipe under pauses, whose verdict must come from the mutex
// model, not from a broken run; set and counter under the same faults as
// register. None leaves anything behind.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../clusters/docker/engine.ts';
import { faultline } from '../support/cli.ts';
import { LOST_TRANSACTION_PROOF } from '../support/zookeeper.ts';

function runDirOf(store: string): string {
  // The store also holds summary.json (the test's runs) besides the test's folder and latest.
  const [test] = readdirSync(store).filter((d) => d !== 'latest' && d !== 'summary.json');
  const [run] = readdirSync(join(store, test));
  return join(store, test, run);
}

interface CheckerResult {
  checker: string;
  valid: boolean | 'unknown';
  summary: string;
}
const resultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { valid: boolean | 'unknown'; checkers: CheckerResult[] };
const historyOf = (dir: string) => readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; f: string; process: unknown; value?: unknown });
const byName = (r: { checkers: CheckerResult[] }, name: string) => r.checkers.find((c) => c.checker === name);

async function leftovers(): Promise<number> {
  return (await docker().listContainers({ all: true, filters: { label: ['faultline.db=zookeeper'] } })).length;
}

describe('zookeeper', () => {
  it('register under partition, kill and pause: exits 0 or 1 for a real reason, members agree after the heal or a lost transaction proves they do not', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-zk-test-'));
    try {
      const r = await faultline(['test', '--db', 'zookeeper', '--workload', 'register', '--nemesis', 'partition,kill,pause', '--nemesis-interval', '4s', '--nodes', '3', '--time-limit', '30', '--seed', '3', '--store', store], { timeoutMs: 170_000 });
      const dir = runDirOf(store);
      const results = resultsOf(dir);
      const out = String(r.stdout);
      expect(byName(results, 'history')?.valid, out).toBe(true);
      // A verdict from the search, not a give-up.
      expect(byName(results, 'linearizability')?.valid, out).not.toBe('unknown');
      // The members' trees after the heal: a difference is a verdict only with a lost transaction as its proof
      // (unknown, when no round settled within the budget, is allowed: it claims nothing).
      const divergence = byName(results, 'divergence');
      expect(divergence, out).toBeDefined();
      if (divergence!.valid === false) expect(divergence!.summary, out).toMatch(LOST_TRANSACTION_PROOF);
      expect(byName(results, 'faults'), out).toMatchObject({ valid: true });
      // Reads went through sync against the real ensemble and answered.
      const reads = historyOf(dir).filter((o) => o.f === 'read' && o.type === 'ok');
      expect(reads.length).toBeGreaterThan(100);
      expect([0, 1], `${out}\n${String(r.stderr)}`).toContain(r.exitCode);
      expect(r.exitCode).toBe(results.valid === true ? 0 : 1);
      expect(await leftovers()).toBe(0);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });

  // A znode per element (set: about 30 000 by the end, so the members are compared by their digest logs) and one versioned znode (counter).
  it.each([['set'], ['counter']])('%s under partition, kill and pause: a verdict of its own checker, members agree after the heal', async (workload) => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-zk-test-'));
    try {
      const r = await faultline(['test', '--db', 'zookeeper', '--workload', workload, '--nemesis', 'partition,kill,pause', '--nemesis-interval', '4s', '--nodes', '3', '--time-limit', '30', '--seed', '1', '--store', store], { timeoutMs: 170_000 });
      const dir = runDirOf(store);
      const results = resultsOf(dir);
      const out = String(r.stdout);
      expect(byName(results, workload)?.valid, out).not.toBe('unknown');
      expect(byName(results, 'faults'), out).toMatchObject({ valid: true });
      expect(historyOf(dir).filter((o) => o.type === 'ok' && o.f !== 'state-hash').length).toBeGreaterThan(1000);
      expect(r.exitCode, `${out}\n${String(r.stderr)}`).toBe(results.valid === true ? 0 : 1);
      expect(await leftovers()).toBe(0);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });

  it('lock recipe under pauses: a verdict of the mutex model', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-zk-test-'));
    try {
      const r = await faultline(['test', '--db', 'zookeeper', '--workload', 'lock', '--nemesis', 'pause', '--nemesis-interval', '3s', '--nodes', '3', '--concurrency', '3', '--time-limit', '25', '--seed', '1', '--store', store], { timeoutMs: 170_000 });
      const dir = runDirOf(store);
      const results = resultsOf(dir);
      const out = String(r.stdout);
      const mutex = byName(results, 'linearizability');
      expect(mutex?.valid, out).not.toBe('unknown');
      expect(byName(results, 'faults'), out).toMatchObject({ valid: true });
      const acquired = historyOf(dir).filter((o) => o.f === 'acquire' && o.type === 'ok');
      expect(acquired.length).toBeGreaterThanOrEqual(3);
      expect(r.exitCode).toBe(mutex?.valid === true ? 0 : 1);
      expect(await leftovers()).toBe(0);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
