// The pure parts of the ZooKeeper clients: which errors are definite (fail)
// and which leave the outcome open (info), the register's value, the lock
// recipe's holder, srvr parsing, the tree hash, and the built-in definition
// wired to these clients.
import { describe, expect, it } from 'vitest';
import zookeeper from 'node-zookeeper-client';
import { completionForZkError, lowestLockNode, parseSrvr, registerValue, treeHash, ZkTimeout, zookeeperAddresses, zookeeperClients } from '../../workloads/zookeeper/index.ts';
import { loadDefinition, servedWorkloads } from '../../clusters/index.ts';
import { buildTest, definedClients } from '../../harness/systems/index.ts';
import { ZOOKEEPER_DEFINITION } from '../../harness/systems/zookeeper.ts';

const { Exception } = zookeeper;

describe('ZooKeeper errors as completions', () => {
  it('definite refusals fail: nothing changed', () => {
    for (const code of [Exception.BAD_VERSION, Exception.NO_NODE, Exception.NODE_EXISTS, Exception.NOT_EMPTY]) {
      expect(completionForZkError(Exception.create(code)).type).toBe('fail');
    }
    expect(completionForZkError(Exception.create(Exception.BAD_VERSION)).error).toBe('BAD_VERSION');
  });

  it('timeouts, lost connections and expired sessions leave the outcome open: info', () => {
    for (const err of [Exception.create(Exception.CONNECTION_LOSS), Exception.create(Exception.SESSION_EXPIRED), Exception.create(Exception.OPERATION_TIMEOUT), new ZkTimeout('setData /a', 900), new Error('socket hang up')]) {
      expect(completionForZkError(err).type).toBe('info');
    }
  });
});

describe('register values', () => {
  it('reads decimal text, empty data as nil', () => {
    expect(registerValue(Buffer.from('17'))).toBe(17);
    expect(registerValue(Buffer.alloc(0))).toBe(null);
    expect(registerValue(undefined)).toBe(null);
  });
});

describe('lock recipe', () => {
  it('the lowest sequence number holds the lock, whatever the listing order', () => {
    expect(lowestLockNode(['lock-0000000012', 'lock-0000000003', 'lock-0000000010'])).toBe('lock-0000000003');
    expect(lowestLockNode(['other', 'lock-0000000100', 'lock-0000000099'])).toBe('lock-0000000099');
    expect(lowestLockNode([])).toBeUndefined();
  });
});

describe('srvr', () => {
  it('reads mode, last zxid and node count', () => {
    const text = 'Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.0/0\nZxid: 0x500000002\nMode: follower\nNode count: 5\n';
    expect(parseSrvr(text)).toEqual({ mode: 'follower', zxid: 0x500000002n, nodeCount: 5 });
    expect(parseSrvr('Zxid: 0x1\nMode: leader\n')).toEqual({ mode: 'leader', zxid: 1n });
  });

  it('a member out of quorum is not serving', () => {
    expect(() => parseSrvr('This ZooKeeper instance is not currently serving requests\n')).toThrow(/not serving: This ZooKeeper instance/);
  });
});

describe('tree hash', () => {
  const stamps = { mzxid: 0x100000005n, pzxid: 0x100000002n };
  const tree = [
    { path: '/', version: 0, data: '', ...stamps },
    { path: '/faultline', version: 0, data: '', ...stamps },
    { path: '/faultline/register/1', version: 3, data: '42', ...stamps },
  ];
  it('depends on data and version, not on object identity', () => {
    expect(treeHash(tree)).toBe(treeHash(tree.map((n) => ({ ...n }))));
    expect(treeHash(tree)).not.toBe(treeHash([...tree.slice(0, 2), { path: '/faultline/register/1', version: 3, data: '43', ...stamps }]));
    expect(treeHash(tree)).not.toBe(treeHash([...tree.slice(0, 2), { path: '/faultline/register/1', version: 4, data: '42', ...stamps }]));
  });
});

describe('the built-in definition', () => {
  const loaded = loadDefinition(ZOOKEEPER_DEFINITION);

  it('loads, speaks the zookeeper protocol and runs under libfaketime with the monotonic clock', () => {
    expect(loaded.def.client).toMatchObject({ protocol: 'zookeeper', port: 'client', sessionTimeoutMs: 2000, prefix: '/faultline' });
    expect(loaded.def.node.clock).toBe('libfaketime-monotonic');
    expect(loaded.def.leader).toMatchObject({ field: 'server_stats.server_state', equals: 'leader' });
  });

  it('the protocol serves exactly the workloads its clients implement', () => {
    const clients = Object.keys(zookeeperClients({ timeoutMs: 1000, sessionTimeoutMs: 2000, prefix: '/f', readMode: 'linearizable' }));
    expect([...servedWorkloads(loaded.def.client).workloads].sort()).toEqual(clients.sort());
    expect(Object.keys(definedClients(loaded.def, { timeoutMs: 1000 })).sort()).toEqual(clients.sort());
  });

  it('addresses clients by host:port from the cluster URLs', () => {
    expect(zookeeperAddresses({ n1: 'http://10.1.2.11:2181', n2: 'http://10.1.2.12:2181' })).toEqual({ n1: '10.1.2.11:2181', n2: '10.1.2.12:2181' });
  });

  it('--db zookeeper builds a test with the divergence check and no raft-protocol check (ZAB logs no Raft trace)', () => {
    const test = buildTest({ db: 'zookeeper', workload: 'register', nodes: '3', nemesis: 'partition,kill,pause', timeLimit: 30, opTimeout: 5000 }, 1);
    expect(test.db.raftTrace).toBeUndefined();
    const names = test.workload.checkers.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['linearizability', 'faults', 'divergence']));
  });

  it('refuses the Raft-aware faults with the reason', () => {
    expect(() => buildTest({ db: 'zookeeper', workload: 'register', nodes: '3', nemesis: 'two-leaders', timeLimit: 30, opTimeout: 5000 }, 1)).toThrow(/does not apply to zookeeper: .*ZAB/);
  });
});
