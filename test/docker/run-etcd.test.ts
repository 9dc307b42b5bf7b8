// `faultline test --db etcd` end to end: a real run writes the store and
// exits with the verdict; an interrupted run heals, tears down and leaves a
// readable history.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, RUN_LABEL } from '../../clusters/docker/engine.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import { CLI, REPO_ROOT, faultline } from '../support/cli.ts';
import { leftovers, waitFor } from '../support/docker.ts';

function runDirOf(store: string): string {
  const [test] = readdirSync(store).filter((d) => d !== 'latest');
  const [run] = readdirSync(join(store, test));
  return join(store, test, run);
}

describe('faultline test against real etcd', () => {
  it('a healthy 3-node run is valid, writes the store and exits 0', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const junit = join(store, 'junit.xml');
    const tempBefore = new Set(readdirSync(tmpdir()));
    const r = await faultline(['test', '--db', 'etcd', '--nodes', '3', '--nemesis', 'none', '--time-limit', '4', '--rate', '100', '--seed', '7', '--store', store, '--junit', junit]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const dir = runDirOf(store);
    const test = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8'));
    expect(test.seed).toBe(7);
    expect(test.dbVersion).toBe('3.4.23');
    expect(test.command).toContain('--seed 7');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    expect(results.checkers.map((c: { checker: string }) => c.checker)).toContain('linearizability');
    const history = readHistoryFile(join(dir, 'history.jsonl'));
    expect(history.filter((op) => op.type === 'ok').length).toBeGreaterThan(100);
    expect(history.some((op) => op.process === 'nemesis')).toBe(false);
    expect(new Set(history.map((op) => op.node))).toEqual(new Set(['n1', 'n2', 'n3']));
    for (const n of ['n1', 'n2', 'n3']) expect(existsSync(join(dir, 'nodes', n, 'etcd.log'))).toBe(true);
    // Node files lived in the run folder; only the logs stay once the nodes are gone, and nothing is left in the temp folder.
    for (const n of ['n1', 'n2', 'n3']) expect(readdirSync(join(dir, 'nodes', n)).every((f) => f.endsWith('.log')), n).toBe(true);
    expect(readdirSync(tmpdir()).filter((f) => !tempBefore.has(f) && /^faultline-\d{8}T/.test(f))).toEqual([]);
    // What people and CI read: the report, summary.json, JUnit with a testcase per checker.
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<html');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.valid).toBe(true);
    // Coverage, read from the members' etcd.log: the first election at least; what etcd's logs cannot show is said so.
    expect(summary.coverage.events['leader-elected']).toBeGreaterThanOrEqual(1);
    expect(summary.coverage.unsupported).toEqual(['leader-change-with-uncommitted', 'earlier-term-commit']);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8')).perNode).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(summary.paths.coverage).toBe('coverage.json');
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(results.checkers.length);
    expect(xml).not.toContain('<failure');
  });

  it('20 s with partitions and kills (the README main job): valid, every fault recorded and healed', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const r = await faultline(['test', '--nodes', '3', '--time-limit', '20', '--nemesis', 'partition,kill', '--nemesis-interval', '3s', '--rate', '100', '--seed', '3', '--store', store]);
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const history = readHistoryFile(join(runDirOf(store), 'history.jsonl'));
    const faults = history.filter((op) => op.process === 'nemesis' && op.type === 'ok').map((op) => op.f);
    expect(faults).toContain('start-partition');
    expect(faults).toContain('start-kill');
    expect(faults.at(-1)).toBe('stop-all'); // the final heal
    // Faults really bit: some client ops did not succeed while they were on.
    expect(history.some((op) => op.process !== 'nemesis' && (op.type === 'info' || op.type === 'fail'))).toBe(true);
  });

  it('SIGINT in the middle of a fault: the fault healed, containers gone, history readable, verdict unknown (exit 2)', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    const child = execa('node', [CLI, 'test', '--db', 'etcd', '--nodes', '3', '--time-limit', '60', '--rate', '50', '--nemesis', 'partition', '--nemesis-interval', '2s', '--store', store], {
      cwd: REPO_ROOT,
      reject: false,
      stdin: 'ignore',
    });
    const runId = await waitFor('the run containers', async () => {
      const list = await docker().listContainers({ filters: { label: [RUN_LABEL, 'faultline.mode=test'] } });
      return list.find((c) => c.Labels['faultline.owner']?.endsWith(`:${child.pid}`))?.Labels[RUN_LABEL];
    }, 60_000);
    // Wait until ops are flowing and a partition is in force (started, not yet stopped), then interrupt.
    const nemesisOps = (): { f: string; type: string }[] => {
      const file = join(runDirOf(store), 'history.jsonl');
      if (!existsSync(file)) return [];
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}'));
      if (lines.length <= 50) return [];
      return lines.map((l) => JSON.parse(l)).filter((op) => op.process === 'nemesis');
    };
    await waitFor('a partition in force', async () => {
      const ops = nemesisOps();
      const last = ops.at(-1);
      return last?.f === 'start-partition' && last.type === 'ok';
    }, 60_000, 20);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(2);
    expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
    const dir = runDirOf(store);
    const history = readHistoryFile(join(dir, 'history.jsonl'));
    expect(history.length).toBeGreaterThan(50);
    // The partition that was on was healed before the teardown, and that heal is on record.
    const faults = history.filter((op) => op.process === 'nemesis' && op.type !== 'invoke').map((op) => `${op.f}:${op.type}`);
    expect(faults.at(-2)).toBe('start-partition:ok');
    expect(faults.at(-1)).toBe('stop-all:ok');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe('unknown');
    expect(JSON.stringify(results)).toContain('SIGINT');
    // An interrupted run still leaves its report and summary for the reviewer.
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('SIGINT');
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).valid).toBe('unknown');
  });
});
