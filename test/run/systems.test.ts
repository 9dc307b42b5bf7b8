// The system table: one row per system, its workloads drawn from the one
// workload table, options that belong to another system refused by name.
import { describe, expect, it } from 'vitest';
import { buildTest, DOCKER_SYSTEM_NAMES, SYSTEMS, SYSTEM_NAMES, systemByName } from '../../harness/systems/index.ts';
import { WORKLOADS, workloadFor } from '../../workloads/registry.ts';
import { etcdClients } from '../../harness/systems/etcd.ts';
import { UserError } from '../../history/index.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from '../support/cli.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = { workload: 'register', nodes: '3', timeLimit: 20, opTimeout: 1000, nemesis: 'none', readMode: 'linearizable' };

describe('the system table', () => {
  it('names etcd, raftkv, memory and zookeeper; all but memory run on Docker', () => {
    expect(SYSTEM_NAMES).toEqual(['etcd', 'raftkv', 'memory', 'zookeeper']);
    expect(DOCKER_SYSTEM_NAMES).toEqual(['etcd', 'raftkv', 'zookeeper']);
  });

  it('every workload a system lists is in the workload table, and builds a test', () => {
    for (const name of SYSTEM_NAMES) {
      for (const w of SYSTEMS[name].workloads) {
        expect(Object.keys(WORKLOADS), `${name}/${w}`).toContain(w);
        const test = buildTest({ ...base, db: name, workload: w }, 1);
        expect(test.workload.name).toBe(w);
      }
    }
    expect(SYSTEMS.etcd.workloads).toContain('lock');
    expect(SYSTEMS.raftkv.workloads).not.toContain('lock');
  });

  it('an unknown system or workload is a user error naming what is known', () => {
    expect(() => systemByName('cassandra')).toThrow(/unknown --db "cassandra"; known: etcd, raftkv, memory, zookeeper/);
    expect(() => buildTest({ ...base, db: 'raftkv', workload: 'lock' }, 1)).toThrow(/unknown --workload "lock" for --db raftkv; known: register, set, bank, counter, append, wr-register/);
    expect(() => workloadFor('etcd', etcdClients({ timeoutMs: 1, readMode: 'linearizable' }), 'toString')).toThrow(/unknown --workload "toString"/);
  });

  it("refuses another system's own options, and accepts them on their system", () => {
    expect(() => buildTest({ ...base, db: 'etcd', bug: ['stale-read'] }, 1)).toThrow(/--bug switches on raftkv's seeded bugs; --db etcd has none/);
    expect(() => buildTest({ ...base, db: 'memory', snapshotEvery: 5 }, 1)).toThrow(/--snapshot-every is a raftkv server option; --db memory/);
    expect(() => buildTest({ ...base, db: 'etcd', bug: [] }, 1)).not.toThrow();
    expect(buildTest({ ...base, db: 'raftkv', bug: ['stale-read'], snapshotEvery: 5 }, 1).name).toBe('raftkv-stale-read-register-none');
  });

  it('--mutant (the mutation suite) is raftkv only; an unknown name is a user error listing the known ones', () => {
    const refusal = () => buildTest({ ...base, db: 'etcd', mutant: ['double-vote'] }, 1);
    expect(refusal).toThrow(UserError);
    expect(refusal).toThrow(/--mutant plants a bug of raftkv's mutation suite; --db etcd has none/);
    const unknown = () => buildTest({ ...base, db: 'raftkv', mutant: ['nope'] }, 1);
    expect(unknown).toThrow(UserError);
    expect(unknown).toThrow(/--mutant: unknown mutant 'nope'; known: quorum-off-by-one, vote-ignores-log/);
    expect(buildTest({ ...base, db: 'raftkv', mutant: ['vote-ignores-log', 'double-vote'] }, 1).name).toBe('raftkv-mutant-double-vote+vote-ignores-log-register-none');
  });

  it('--hosts: the nodes are the hosts; refused for other systems, a --nodes that disagrees and faults that need the nodes on this machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-hosts-opt-'));
    const file = join(dir, 'hosts.json');
    writeFileSync(file, JSON.stringify({ hosts: ['10.0.0.5', '10.0.0.6', '10.0.0.7'].map((address) => ({ address, user: 'root', key: 'id' })) }));
    const onHosts = { ...base, nodes: undefined, hosts: file };
    const test = buildTest({ ...onHosts, db: 'etcd', nemesis: 'partition,kill' }, 1);
    expect(test.nodes).toEqual(['n1', 'n2', 'n3']);
    expect(test.options?.hosts).toEqual(['n1=root@10.0.0.5:22', 'n2=root@10.0.0.6:22', 'n3=root@10.0.0.7:22']);
    expect(buildTest({ ...onHosts, db: 'raftkv', nodes: 'n1,n2,n3', nemesis: 'clock,pause' }, 1).nodes).toEqual(['n1', 'n2', 'n3']);
    expect(buildTest({ ...onHosts, db: 'etcd', nemesis: 'member' }, 1).nemesis?.nemesis.name).toBe('member-readd');
    // Defined systems built from files run there too (ZooKeeper is one); one that names a ready Docker image cannot.
    expect(buildTest({ ...onHosts, db: 'zookeeper', nemesis: 'partition,kill' }, 1).options?.hosts).toHaveLength(3);
    expect(buildTest({ ...onHosts, system: join(REPO_ROOT, 'examples/etcd/system.json'), nemesis: 'partition' }, 1).nodes).toEqual(['n1', 'n2', 'n3']);
    const tagged = join(dir, 'tagged.json');
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/etcd/system.json'), 'utf8'));
    writeFileSync(tagged, JSON.stringify({ ...example, $schema: undefined, image: { tag: 'my-etcd:1' } }));
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ db: 'etcd', nodes: '5' }, /--nodes 5 does not match the 3 hosts of .*hosts.json \(n1 n2 n3\)/],
      [{ db: 'memory' }, /--hosts is unsupported for memory: its register lives in this process/],
      [{ system: tagged }, /--hosts is unsupported for etcd-defined: .*tagged.json names the local Docker image my-etcd:1 \(image.tag\), and a machine reached over SSH cannot run an image/],
      [{ db: 'etcd', nemesis: 'lose-unsynced' }, /lose-unsynced is unsupported/],
      [{ db: 'raftkv', nemesis: 'election-storm' }, /election-storm is unsupported/],
      // By variant: replace swaps a node's machine, which a host cannot be; `member` there means readd and shrink.
      [{ db: 'etcd', nemesis: 'member-replace' }, /member-replace is unsupported \(it swaps a node for a new machine, and a host cannot be swapped\)/],
      [{ db: 'etcd', hosts: join(dir, 'missing.json') }, /missing.json/],
    ];
    for (const [opts, why] of refusals) {
      const build = () => buildTest({ ...onHosts, ...opts } as never, 1);
      expect(build, JSON.stringify(opts)).toThrow(UserError);
      expect(build, JSON.stringify(opts)).toThrow(why);
    }
  });
});
