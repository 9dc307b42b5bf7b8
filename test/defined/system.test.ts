// `faultline test --system FILE` without Docker: the options parse, the
// test it builds (clients, nemeses, divergence), and what is refused before
// any container starts.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestArgv } from '../../cli/commands/test.ts';
import { buildTest, SYSTEM_FILE } from '../../harness/systems/index.ts';
import { withRunFile } from '../../harness/systems/with-run-file.ts';
import type { Cluster } from '../../clusters/index.ts';
import { etcdClients } from '../../harness/systems/etcd.ts';
import { DEFINED_WORKLOADS, servedWorkloads } from '../../clusters/defined/index.ts';
import { UserError } from '../../history/index.ts';

const ETCD_EXAMPLE = new URL('../../examples/etcd/system.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'faultline-defined-system-'));

/** The etcd example with some fields changed, as a new file. */
function variant(change: (d: Record<string, any>) => void): string {
  const d = JSON.parse(readFileSync(ETCD_EXAMPLE, 'utf8'));
  change(d);
  const file = join(dir, `v-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(d));
  return file;
}

const parse = (...argv: string[]) => parseTestArgv(argv, 'test');

describe('faultline test --system', () => {
  it('parses through parseTestArgv (recipes, schedules) and builds the test like --db', () => {
    const args = parse('--system', ETCD_EXAMPLE, '--workload', 'register', '--nemesis', 'partition,kill', '--time-limit', '20', '--nemesis-interval', '4s');
    expect(args.system).toBe(ETCD_EXAMPLE);
    expect(args.db).toBeUndefined();
    const test = buildTest(args, 5);
    expect(test.name).toBe('etcd-defined-register-partition+kill');
    expect(test.nemesis).toBeDefined();
    expect(test.options).toMatchObject({ db: 'etcd-defined', system: ETCD_EXAMPLE, definition: { name: 'etcd-defined' } });
    expect(test.options).not.toHaveProperty('divergenceCheck');
    expect(test.workload.checkers.map((c) => c.name)).toEqual(expect.arrayContaining(['linearizability', 'divergence', 'faults']));
  });

  it('--db keeps its default when --system is absent, and the two exclude each other', () => {
    expect(buildTest(parse('--nemesis', 'none'), 1).options).toMatchObject({ db: 'etcd' });
    expect(() => buildTest(parse('--system', ETCD_EXAMPLE, '--db', 'etcd'), 1)).toThrow(/--system and --db are mutually exclusive/);
  });

  it('a bad definition is a UserError before anything starts', () => {
    const bad = variant((d) => (d.node.command = []));
    expect(() => buildTest(parse('--system', bad), 1)).toThrow(UserError);
    expect(() => buildTest(parse('--system', bad), 1)).toThrow(/node\.command: at least 1 item: the command that starts one node/);
  });

  it('a workload the definition does not list is refused', () => {
    const file = variant((d) => (d.workloads = ['register']));
    expect(() => buildTest(parse('--system', file, '--workload', 'set'), 1)).toThrow(/--workload set: .* lists the workloads register/);
  });

  it('without stateHash: no divergence check, and test.json says so', () => {
    const file = variant((d) => delete d.stateHash);
    const test = buildTest(parse('--system', file, '--nemesis', 'none'), 1);
    expect(test.workload.checkers.map((c) => c.name)).not.toContain('divergence');
    expect(test.options).toMatchObject({ divergenceCheck: false });
  });

  it('without a leader probe: leader-aimed faults are left out of a kind, refused when named', () => {
    const file = variant((d) => delete d.leader);
    const test = buildTest(parse('--system', file, '--nemesis', 'kill,partition', '--time-limit', '20', '--nemesis-interval', '4s'), 1);
    expect(test.nemesis!.nemesis.name).not.toMatch(/leader/);
    expect(test.nemesis!.nemesis.name).toMatch(/kill-one/);
    expect(() => buildTest(parse('--system', file, '--nemesis', 'kill-leader', '--time-limit', '20', '--nemesis-interval', '4s'), 1)).toThrow(
      /kill-leader is aimed at the leader, but etcd-defined cannot tell which node leads: its definition has no `leader` probe/,
    );
    // With the probe, the leader variants stay.
    expect(buildTest(parse('--system', ETCD_EXAMPLE, '--nemesis', 'kill', '--time-limit', '20', '--nemesis-interval', '4s'), 1).nemesis!.nemesis.name).toMatch(/kill-leader/);
  });

  it('clock faults only with clock "libfaketime" (etcd is Go: it would not see them)', () => {
    expect(() => buildTest(parse('--system', ETCD_EXAMPLE, '--nemesis', 'clock', '--time-limit', '20', '--nemesis-interval', '4s'), 1)).toThrow(/clock/);
  });

  it('the run folder gets the definition as system.json, written before the cluster starts', async () => {
    const calls: string[] = [];
    const fake: Cluster = {
      name: 'fake',
      setup: async (runDir) => {
        calls.push(`setup ${existsSync(join(runDir!, SYSTEM_FILE))}`);
        return { nodes: ['n1'] };
      },
      waitHealthy: async () => void calls.push('waitHealthy'),
      collectLogs: async () => void calls.push('collectLogs'),
      teardown: async () => void calls.push('teardown'),
    };
    const runDir = mkdtempSync(join(dir, 'run-'));
    const cluster = withRunFile(fake, SYSTEM_FILE, '{"name": "kv"}\n');
    await cluster.setup(runDir);
    await cluster.teardown();
    expect(calls).toEqual(['setup true', 'teardown']);
    expect(readFileSync(join(runDir, SYSTEM_FILE), 'utf8')).toBe('{"name": "kv"}\n');
  });

  it('etcd-v3 serves exactly the workloads etcd has clients for', () => {
    expect([...DEFINED_WORKLOADS].sort()).toEqual(Object.keys(etcdClients({ timeoutMs: 1, readMode: 'linearizable' })).sort());
    expect(servedWorkloads({ protocol: 'etcd-v3', port: 1 }).workloads).toEqual(DEFINED_WORKLOADS);
  });
});
