// `faultline test --db raftkv` as a test definition (no containers): every
// workload is built from its shared builder with a raftkv client and gets the
// divergence check; clock faults are accepted (the server runs under
// libfaketime); bad options fail before anything starts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raftkvSystem, type RaftkvTestArgs } from '../../harness/systems/raftkv.ts';
import { etcdSystem } from '../../harness/systems/etcd.ts';
import { UserError } from '../../history/errors.ts';
import { Random } from '../../generator/index.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';

const nodes = ['n1', 'n2', 'n3'];
const args = (more: Partial<RaftkvTestArgs> = {}): RaftkvTestArgs => ({ workload: 'register', nemesis: 'none', timeLimit: 5, nemesisInterval: '1s', opTimeout: 1000, ...more });
const sample: Record<string, [string, unknown]> = {
  register: ['read', [1, null]], set: ['add', 1], bank: ['read', null], counter: ['add', 1], append: ['txn', [['r', 1, null]]], 'wr-register': ['txn', [['r', 1, null]]],
};

// A stand-in node that records the paths it is asked for and answers "not the leader, no hint".
const paths: string[] = [];
let node: Server;
let info: DockerClusterInfo;
beforeAll(async () => {
  node = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, outcome: 'fail', error: 'not-leader', leader: null }));
  });
  await new Promise<void>((r) => node.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
  info = { nodes, urls: Object.fromEntries(nodes.map((n) => [n, url])) } as unknown as DockerClusterInfo;
});
afterAll(() => node.close());
const invariant: Record<string, string> = { register: 'linearizability', set: 'set', bank: 'bank', counter: 'counter', append: 'elle', 'wr-register': 'elle' };

describe('faultline test --db raftkv', () => {
  it.each([...raftkvSystem.workloads])('%s: a raftkv client, its own checker, the divergence and elections checks', async (workload) => {
    const test = raftkvSystem.test(args({ workload }), nodes, 1);
    expect(test.workload.name).toBe(workload);
    expect(test.workload.checkers.map((c) => c.name)).toEqual(['history', invariant[workload], 'divergence', 'elections']);
    expect(test.db.name).toBe('raftkv');
    // The client speaks raftkv's API (POST /kv/...) and maps its definite refusal to fail.
    paths.length = 0;
    const client = test.workload.client(info);
    const [f, value] = sample[workload];
    if (workload === 'bank') {
      // The bank client creates the accounts when it opens: with no leader, opening itself must fail, saying why.
      await expect(client.open('n1')).rejects.toThrow(/creating the accounts: not-leader/);
    } else {
      await client.open('n1');
      expect(await client.invoke({ index: 0, time: 0, process: 0, type: 'invoke', f, value })).toMatchObject({ type: 'fail', error: 'not-leader' });
    }
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p).toMatch(/^\/kv\/(get|put|cas|txn|add|transfer)$/);
  });

  it('names the run after its bugs and keeps them in test.json options', () => {
    const test = raftkvSystem.test(args({ bug: ['stale-read', 'lease-read'], nemesis: 'partition,clock' }), nodes, 1);
    expect(test.name).toBe('raftkv-lease-read+stale-read-register-partition+clock');
    expect(test.options).toMatchObject({ db: 'raftkv', bugs: ['stale-read', 'lease-read'] });
    expect(test.nemesis).toBeDefined();
  });

  it('keeps the mutation suite\'s mutants in test.json options beside the bugs (only when some are on)', () => {
    const test = raftkvSystem.test(args({ mutant: ['quorum-off-by-one'], bug: ['stale-read'] }), nodes, 1);
    expect(test.name).toBe('raftkv-stale-read-mutant-quorum-off-by-one-register-none');
    expect(test.options).toMatchObject({ bugs: ['stale-read'], mutants: ['quorum-off-by-one'] });
    expect(raftkvSystem.test(args(), nodes, 1).options).not.toHaveProperty('mutants');
  });

  it('clock faults: accepted for raftkv, refused for etcd before anything starts', () => {
    expect(raftkvSystem.test(args({ nemesis: 'clock' }), nodes, 1).nemesis).toBeDefined();
    expect(() => etcdSystem.test({ ...args({ nemesis: 'clock' }), readMode: 'linearizable' }, nodes, 1)).toThrow(/clock faults unsupported for etcd/);
  });

  it('delay faults: magnitudes from --delay-probability / --delay-max reach the schedule and test.json; bad ones are user errors', () => {
    const test = raftkvSystem.test(args({ nemesis: 'delay-leader', nemesisInterval: '1s', delayProbability: 0.8, delayMax: '300ms', maxAppendEntries: 1 }), nodes, 1);
    expect(test.options).toMatchObject({ delayProbability: 0.8, delayMax: '300ms', maxAppendEntries: 1 });
    const gen = test.nemesis!.generator();
    let op;
    for (let t = 0; !op && t < 5e9; t += 1e8) {
      const got = gen.next({ time: t, random: new Random(1), workers: ['nemesis'], free: ['nemesis'] } as never);
      if (got && 'op' in got && got.op) op = got.op;
    }
    expect(op).toMatchObject({ f: 'start-delay', value: { variant: 'leader', probability: 0.8, maxDelayMs: 300 } });
    expect(() => raftkvSystem.test(args({ nemesis: 'delay', delayProbability: 2 }), nodes, 1)).toThrow(/delay probability must be in \(0, 1\]/);
    expect(() => raftkvSystem.test(args({ nemesis: 'delay', delayMax: 'soon' }), nodes, 1)).toThrow(/--delay-max/);
  });

  it('unknown bugs and workloads, and etcd-only read modes, are user errors', () => {
    expect(() => raftkvSystem.test(args({ bug: ['nope'] }), nodes, 1)).toThrow(UserError);
    expect(() => raftkvSystem.test(args({ workload: 'queue' }), nodes, 1)).toThrow(/known: register, set/);
    expect(() => raftkvSystem.test(args({ readMode: 'serializable' }), nodes, 1)).toThrow(/--bug stale-read|etcd option/);
    expect(() => raftkvSystem.test(args({ maxAppendEntries: 0 }), nodes, 1)).toThrow(/--max-append-entries must be a whole number of entries, at least 1/);
    expect(() => raftkvSystem.test(args({ snapshotEvery: 2.5 }), nodes, 1)).toThrow(/--snapshot-every must be a whole number/);
  });
});
