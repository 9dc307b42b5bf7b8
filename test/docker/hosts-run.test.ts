// `faultline test --hosts`: the DB nodes run on machines reached over SSH
// (here containers that act like bare machines, from `faultline hosts up`),
// with the same faults and the same verdicts as on the Docker backend, and
// every host is left as found: no faultline rule, no process, no file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readHostsFile, SshHost, surveyHost, type HostsFile } from '../../clusters/hosts/index.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import type { FaultValue } from '../../history/op.ts';
import { CLI, faultline, REPO_ROOT } from '../support/cli.ts';
import { leftovers } from '../support/docker.ts';
import { LOST_TRANSACTION_PROOF } from '../support/zookeeper.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-hosts-run-'));
const hostsPath = join(dir, 'hosts.json');
let file: HostsFile;

/** Every host as found: no rule, process or file of faultline's. */
async function hostsClean(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const h of file.hosts) {
    const ssh = new SshHost(h, { connectTimeoutMs: 10_000 });
    try {
      out[h.name] = await surveyHost(ssh);
    } finally {
      ssh.close();
    }
  }
  return out;
}
const clean = () => Object.fromEntries(file.hosts.map((h) => [h.name, { rules: [], processes: [], files: false, mounts: [] }]));

/** The one run a store holds: its folder, results and the nemesis completions. */
function onlyRun(store: string) {
  const [test] = readdirSync(store).filter((d) => d !== 'latest' && !d.startsWith('.') && !d.endsWith('.json') && !d.endsWith('.xml'));
  const [runDir] = readdirSync(join(store, test));
  const run = join(store, test, runDir);
  const nemesis = readHistoryFile(join(run, 'history.jsonl')).filter((op) => op.process === 'nemesis' && op.type !== 'invoke');
  const tookEffect = new Set(nemesis.filter((op) => (op.value as FaultValue | null)?.effect === 'took-effect').map((op) => op.f));
  return { run, results: JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')), test: JSON.parse(readFileSync(join(run, 'test.json'), 'utf8')), tookEffect };
}

describe('faultline test --hosts: etcd, raftkv and defined systems on machines over SSH', () => {
  beforeAll(async () => {
    const up = await faultline(['hosts', 'up', '--count', '3', '--file', hostsPath, '--store', join(dir, 'hosts-store')]);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    file = readHostsFile(hostsPath);
  }, 120_000);

  afterAll(async () => {
    if (!file) return;
    const down = await faultline(['hosts', 'down', '--file', hostsPath]);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(await leftovers(file.containersRun!)).toEqual({ containers: 0, networks: 0 });
  }, 60_000);

  for (const db of ['etcd', 'raftkv']) {
    it(`${db}, register, partition and kill: valid, both faults took effect, logs collected, every host left as found`, async () => {
      const store = mkdtempSync(join(dir, `store-${db}-`));
      const r = await faultline(['test', '--hosts', hostsPath, '--db', db, '--workload', 'register', '--nemesis', 'partition,kill', '--time-limit', '20', '--nemesis-interval', '3s', '--seed', '5', '--store', store], { timeoutMs: 200_000 });
      expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
      const { run, results, test, tookEffect } = onlyRun(store);
      expect(results.valid).toBe(true);
      expect([...tookEffect].sort()).toEqual(expect.arrayContaining(['start-kill', 'start-partition']));
      expect(test.nodes).toEqual(['n1', 'n2', 'n3']);
      expect(test.options.hosts).toEqual(file.hosts.map((h) => `${h.name}=root@${h.address}:22`));
      // The DB's own log of each node came back from its host.
      for (const n of ['n1', 'n2', 'n3']) expect(existsSync(join(run, 'nodes', n, `${db}.log`)), `${n}/${db}.log`).toBe(true);
      expect(await hostsClean()).toEqual(clean());
    }, 240_000);
  }

  it('raftkv, clock and pause: libfaketime steered over SSH (bump, strobe, skew read back from the node), valid, hosts left as found', async () => {
    const store = mkdtempSync(join(dir, 'store-clock-'));
    const r = await faultline(['test', '--hosts', hostsPath, '--db', 'raftkv', '--workload', 'register', '--nemesis', 'clock,pause', '--nemesis-overlap', '--time-limit', '20', '--nemesis-interval', '2s', '--seed', '3', '--store', store], { timeoutMs: 200_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const { results, tookEffect } = onlyRun(store);
    expect(results.valid).toBe(true);
    expect([...tookEffect]).toEqual(expect.arrayContaining(['start-clock', 'stop-clock', 'start-pause', 'stop-pause']));
    expect(await hostsClean()).toEqual(clean());
  }, 240_000);

  it('raftkv --bug stale-read with the raftkv-stale-read recipe\'s faults: invalid on hosts as on Docker (linearizability)', async () => {
    const store = mkdtempSync(join(dir, 'store-stale-'));
    const r = await faultline(['test', '--hosts', hostsPath, '--db', 'raftkv', '--bug', 'stale-read', '--workload', 'register', '--nemesis', 'partition-one,partition-leader,partition-halves', '--nemesis-interval', '2s', '--time-limit', '10', '--seed', '1', '--store', store], { timeoutMs: 200_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(1);
    const { results } = onlyRun(store);
    expect(results.valid).toBe(false);
    expect(results.checkers.find((c: { checker: string }) => c.checker === 'linearizability')?.valid).toBe(false);
    expect(await hostsClean()).toEqual(clean());
  }, 240_000);

  it('zookeeper (a system definition: a jlink\'ed JRE and jars) under partition, kill and clock: valid, every kind took effect, hosts left as found', async () => {
    const store = mkdtempSync(join(dir, 'store-zk-'));
    const r = await faultline(['test', '--hosts', hostsPath, '--db', 'zookeeper', '--workload', 'register', '--nemesis', 'partition,kill,clock', '--nemesis-overlap', '--time-limit', '20', '--nemesis-interval', '2s', '--seed', '4', '--store', store], { timeoutMs: 200_000 });
    // ZooKeeper itself answers a sync+read with stale data when its leader's clock stalls like a pause (a deposed
    // leader serving sync before it notices, recipe zookeeper-paused-leader-sync): linearizability may be invalid.
    // A member still rejoining after the clock faults can leave the divergence check without a settled round:
    // unknown, which claims nothing. ZooKeeper 3.8.0 can also lose a committed transaction on one member under
    // kills (a CI run: two members applied a setData that the third, at the same zxid, never applied); that verdict
    // is excused only with its proof quoted. Never a fault or a host left dirty.
    const { run, results, tookEffect } = onlyRun(store);
    type Verdict = { checker: string; valid: unknown; summary: string };
    const excused = (c: Verdict) =>
      (c.checker === 'linearizability' && c.valid === false) ||
      (c.checker === 'divergence' && (c.valid === 'unknown' || (c.valid === false && LOST_TRANSACTION_PROOF.test(c.summary))));
    expect(results.checkers.filter((c: Verdict) => c.valid !== true && !excused(c)).map((c: Verdict) => c.checker), String(r.stdout)).toEqual([]);
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(results.valid === true ? 0 : results.valid === false ? 1 : 2);
    expect([...tookEffect]).toEqual(expect.arrayContaining(['start-partition', 'start-kill', 'start-clock']));
    for (const n of ['n1', 'n2', 'n3']) expect(existsSync(join(run, 'nodes', n, 'zookeeper.log')), `${n}/zookeeper.log`).toBe(true);
    expect(await hostsClean()).toEqual(clean());
  }, 240_000);

  it('a Maelstrom node (Python, through faultline\'s shim) that serves stale reads: invalid on hosts as on Docker', async () => {
    const store = mkdtempSync(join(dir, 'store-maelstrom-'));
    const r = await faultline(['test', '--hosts', hostsPath, '--system', 'examples/maelstrom-stale/system.json', '--workload', 'register', '--nemesis', 'partition,kill', '--nemesis-interval', '3s', '--op-timeout', '1000', '--time-limit', '30', '--seed', '1', '--store', store], { timeoutMs: 200_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(1);
    const { run, results } = onlyRun(store);
    expect(results.checkers.filter((c: { valid: unknown }) => c.valid === false).map((c: { checker: string }) => c.checker)).toEqual(['linearizability']);
    expect(readdirSync(join(run, 'nodes', 'n1'))).toEqual(expect.arrayContaining(['maelstrom-stale.log', 'faultline-shim.log']));
    expect(await hostsClean()).toEqual(clean());
  }, 240_000);

  it('a definition whose node will not start: exit 2 naming each node\'s log as it was on the host, the logs kept in the run folder, hosts left as found', async () => {
    const store = mkdtempSync(join(dir, 'store-broken-'));
    const def = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/etcd/system.json'), 'utf8'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...def, $schema: undefined, node: { ...def.node, command: [...def.node.command, '--no-such-flag'] } }));
    const r = await faultline(['test', '--hosts', hostsPath, '--system', broken, '--workload', 'register', '--nemesis', 'partition', '--time-limit', '10', '--nemesis-interval', '2s', '--store', store], { timeoutMs: 120_000 });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(2);
    expect(String(r.stderr)).toMatch(/its process exited on/);
    expect(String(r.stderr)).toMatch(/last lines of etcd-defined.log \(n1:\/faultline\/etcd-defined.log, copied to .*nodes\/n1\/etcd-defined.log\)/);
    expect(String(r.stderr)).toMatch(/etcd grpc-proxy/); // the tail of etcd's usage text, read over SSH
    const [test] = readdirSync(store).filter((d) => d.startsWith('etcd-defined'));
    const [runDir] = readdirSync(join(store, test));
    expect(readFileSync(join(store, test, runDir, 'nodes', 'n1', 'etcd-defined.log'), 'utf8')).toMatch(/flag provided but not defined: -no-such-flag/);
    expect(await hostsClean()).toEqual(clean());
  }, 180_000);

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} mid-run: ${signal === 'SIGINT' ? 'the run stops and every host is left as found' : 'the dead controller\'s processes, rules and files stay until clean --hosts removes them'}`, async () => {
      const store = mkdtempSync(join(dir, `store-${signal}-`));
      const child = execa('node', [CLI, 'test', '--hosts', hostsPath, '--db', 'etcd', '--workload', 'register', '--nemesis', 'partition', '--time-limit', '60', '--nemesis-interval', '8s', '--store', store], {
        cwd: REPO_ROOT,
        reject: false,
        env: { FORCE_COLOR: '0' },
        stdin: 'ignore',
      });
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      // Interrupted once a partition is in force on the hosts (8 s long: the signal, sent within 200 ms of the
      // status line saying so, lands inside it; at 2 s it could land after the heal under CI load).
      const deadline = Date.now() + 90_000;
      while (!/faults: partition/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(err).toMatch(/faults: partition/);
      child.kill(signal);
      const done = await child;
      expect(done.exitCode ?? done.signal, err).not.toBe(0);
      if (signal === 'SIGKILL') {
        const left = (await hostsClean()) as Record<string, { processes: number[]; files: boolean; rules: string[]; mounts: string[] }>;
        for (const h of file.hosts) expect(left[h.name].files && left[h.name].processes.length, h.name).toBe(1);
        // The node's /proc is still mounted in its tree: clean must detach it before removing the folder.
        for (const h of file.hosts) expect(left[h.name].mounts.some((m) => m.endsWith('/proc')), h.name).toBe(true);
        expect(Object.values(left).some((l) => l.rules.length > 0)).toBe(true);
        const cleaned = await faultline(['clean', '--hosts', hostsPath]);
        expect(cleaned.exitCode, String(cleaned.stdout) + String(cleaned.stderr)).toBe(0);
      }
      expect(await hostsClean()).toEqual(clean());
    }, 180_000);
  }
});
