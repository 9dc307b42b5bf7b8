// checkers/raft-protocol.ts: Raft's safety rules on the members' own
// accounts, each rule shown holding on a healthy trace and broken on one
// line that breaks it; and the two parsers (raftkv coverage lines, etcd 3.4
// zap logs) on real log lines.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRaftProtocol, checkerFromSpec, type RaftProtocolDetails } from '../../checkers/index.ts';
import type { RaftObservation, RaftTrace } from '../../history/index.ts';
import { raftkvTrace, raftkvTraceOfLog } from '../../clusters/raftkv/coverage.ts';
import { etcdTrace } from '../../clusters/etcd/raft-trace.ts';
import { eventLine } from '../../raftkv/raft/events.ts';
import { appliedLines, appliedSnapshotLine, entryId } from '../../raftkv/raft/applied.ts';

const trace = (...observations: RaftObservation[]): RaftTrace => ({ source: 'test', observations, unsupported: {}, notes: [] });
const rules = (t: RaftTrace): string[] => (checkRaftProtocol(t).details as RaftProtocolDetails).violations.map((v) => v.rule);

// A healthy three-member story: n1 wins term 1 with n2's and n3's votes, is
// cut off, n2 wins term 2 with n3's vote, n1 restarts in term 2 and drops its
// uncommitted tail.
const healthy: RaftObservation[] = [
  { node: 'n1', what: 'leader', term: 1 },
  { node: 'n1', what: 'restart', term: 2 },
  { node: 'n1', what: 'truncate', term: 2, index: 7, commit: 5 },
  { node: 'n2', what: 'vote', term: 1, candidate: 'n1' },
  { node: 'n2', what: 'term', term: 1 },
  { node: 'n2', what: 'leader', term: 2 },
  { node: 'n3', what: 'vote', term: 1, candidate: 'n1' },
  { node: 'n3', what: 'vote', term: 2, candidate: 'n2' },
  { node: 'n3', what: 'restart', term: 2 },
  // The same vote again after a restart (a candidate's retry): still one vote.
  { node: 'n3', what: 'vote', term: 2, candidate: 'n2' },
];

describe('raft-protocol: the rules', () => {
  it('a healthy trace keeps every rule, and says what it held them over', () => {
    const r = checkRaftProtocol(trace(...healthy));
    expect(r.valid).toBe(true);
    expect(r.summary).toContain('one-leader-per-term, one-vote-per-term, terms-never-decrease, committed-entries-kept, applied-entries-agree held over 10 observations');
  });

  it('one-leader-per-term: a second winner of a term', () => {
    const r = checkRaftProtocol(trace(...healthy, { node: 'n3', what: 'leader', term: 2 }));
    expect(r.valid).toBe(false);
    expect(rules(trace(...healthy, { node: 'n3', what: 'leader', term: 2 }))).toContain('one-leader-per-term');
    expect(r.summary).toContain('n2 and n3 both became leader of term 2');
  });

  it('one-vote-per-term: a second candidate in one term, also across a restart, and a winner voting for another', () => {
    const twice = trace(...healthy, { node: 'n3', what: 'vote', term: 2, candidate: 'n1' });
    expect(rules(twice)).toEqual(['one-vote-per-term']);
    expect(checkRaftProtocol(twice).summary).toContain('n3 granted its vote to n2 in term 2, then granted its vote to n1 in the same term');
    const winnerVotes = trace({ node: 'n1', what: 'leader', term: 4 }, { node: 'n1', what: 'vote', term: 4, candidate: 'n2' });
    expect(rules(winnerVotes)).toEqual(['one-vote-per-term']);
  });

  it('terms-never-decrease: a restart into an older term, and a later line of an older term', () => {
    expect(rules(trace({ node: 'n1', what: 'term', term: 5 }, { node: 'n1', what: 'restart', term: 0 }))).toEqual(['terms-never-decrease']);
    const back = checkRaftProtocol(trace({ node: 'n2', what: 'vote', term: 3, candidate: 'n1' }, { node: 'n2', what: 'term', term: 2 }));
    expect(back.summary).toContain('n2 was in term 3 and later logged term 2');
    // Another member's lower term is no violation: each member's own order only.
    expect(checkRaftProtocol(trace({ node: 'n1', what: 'term', term: 5 }, { node: 'n2', what: 'term', term: 1 })).valid).toBe(true);
  });

  it('committed-entries-kept: a truncation at or below the commit index; unknown commit is not held', () => {
    expect(rules(trace({ node: 'n1', what: 'truncate', term: 3, index: 5, commit: 5 }))).toEqual(['committed-entries-kept']);
    expect(checkRaftProtocol(trace({ node: 'n1', what: 'truncate', term: 3, index: 6, commit: 5 })).valid).toBe(true);
    expect(checkRaftProtocol(trace({ node: 'n1', what: 'truncate', term: 3, index: 1 })).valid).toBe(true);
  });

  it('unknown when no member logged anything; a rule the DB cannot show is left out of the summary', () => {
    expect(checkRaftProtocol(trace()).valid).toBe('unknown');
    const r = checkRaftProtocol({ ...trace(...healthy), unsupported: { 'committed-entries-kept': 'no commit index' } });
    expect(r.summary).not.toContain('committed-entries-kept');
  });

  it('lists at most five violations of one rule', () => {
    const many = Array.from({ length: 9 }, (_, i): RaftObservation[] => [
      { node: 'n1', what: 'leader', term: i + 1 },
      { node: 'n2', what: 'leader', term: i + 1 },
    ]).flat();
    expect(rules(trace(...many))).toHaveLength(5);
  });

  it('as a registered checker: the trace comes with the context; without one, unknown', async () => {
    const c = checkerFromSpec({ name: 'raft-protocol' });
    expect((await c.check([], { nodes: [], workload: 'register' })).valid).toBe('unknown');
    expect((await c.check([], { nodes: [], workload: 'register', raftTrace: trace(...healthy) })).valid).toBe(true);
  });
});

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, '..', 'clusters', 'fixtures', 'coverage', name), 'utf8');
const logs = (prefix: string, nodes: string[]): Map<string, string> => new Map(nodes.map((n) => [n, fixture(`${prefix}-${n}.txt`)]));

describe('raft-protocol: reading the members\' logs', () => {
  it('raftkv: each coverage line as an observation with its term, the run valid', () => {
    const t = raftkvTrace(logs('raftkv', ['n1', 'n2', 'n3']));
    expect(t.observations.filter((o) => o.node === 'n3')).toEqual([
      { node: 'n3', what: 'vote', term: 1, candidate: 'n1' },
      { node: 'n3', what: 'restart', term: 1 },
      { node: 'n3', what: 'vote', term: 2, candidate: 'n2' },
      { node: 'n3', what: 'vote', term: 3, candidate: 'n2' },
    ]);
    expect(t.observations.filter((o) => o.what === 'leader').map((o) => [o.node, o.term])).toEqual([
      ['n1', 1],
      ['n2', 3],
    ]);
    expect(checkRaftProtocol(t).valid).toBe(true);
  });

  it('raftkv: a truncation carries the commit index the server logged with it', () => {
    const line = `2026-12-05T09:00:00.000Z n1 ${eventLine({ event: 'log-truncated', term: 4, index: 9, removed: 2, leader: 'n2', commit: 9 })}`;
    const t = raftkvTraceOfLog('n1', line);
    expect(t.observations).toEqual([{ node: 'n1', what: 'truncate', term: 4, index: 9, commit: 9 }]);
    expect(checkRaftProtocol(t).valid).toBe(false);
  });

  it('raftkv: applied lines become observations in log order, between the events around them', () => {
    const w = (term: number, k: string) => ({ index: 0, term, command: { f: 'write', k } });
    const text = [
      `t n1 ${eventLine({ event: 'leader-elected', term: 2 })}`,
      ...appliedLines([{ ...w(1, 'a'), index: 1 }, { ...w(2, 'b'), index: 2 }, { ...w(2, 'c'), index: 4 }]).map((l) => `t n1 ${l}`),
      `t n1 applied {"from":5,"entries":["2:ab`, // cut off by a kill
      `t n1 ${appliedSnapshotLine({ index: 9, term: 2 })}`,
      `t n1 ${eventLine({ event: 'vote-granted', term: 3, candidate: 'n2' })}`,
    ].join('\n');
    const t = raftkvTraceOfLog('n1', text);
    expect(t.observations.map((o) => o.what)).toEqual(['leader', 'applied', 'applied', 'applied', 'vote']);
    expect(t.observations[1]).toEqual({ node: 'n1', what: 'applied', from: 1, entries: [entryId(1, w(1, 'a').command), entryId(2, w(2, 'b').command)] });
    expect(t.observations[2]).toMatchObject({ from: 4 }); // a gap starts a line of its own
    expect(t.observations[3]).toEqual({ node: 'n1', what: 'applied', from: 9, entries: ['2:'] });
    expect(checkRaftProtocol(t).valid).toBe(true);
  });

  it('etcd 3.4: elections and votes by member, the member\'s own id read as its node name', () => {
    const t = etcdTrace(logs('etcd', ['e1', 'e2', 'e3']));
    expect(t.observations.filter((o) => o.what === 'leader').length).toBeGreaterThan(0);
    expect(t.observations.filter((o) => o.what === 'vote').length).toBeGreaterThan(0);
    expect(t.unsupported).toHaveProperty('committed-entries-kept');
    expect(checkRaftProtocol(t).valid).toBe(true);
    // Two members that both claim one term: caught.
    const won = t.observations.find((o) => o.what === 'leader')!;
    const forged = { ...t, observations: [...t.observations, { node: won.node === 'e1' ? 'e2' : 'e1', what: 'leader' as const, term: won.term }] };
    expect(checkRaftProtocol(forged).valid).toBe(false);
  });

  it('etcd 3.4: a member wiped and added back speaks under a new id, as a new member whose term starts at 0', () => {
    const line = (msg: string) => JSON.stringify({ level: 'info', ts: '2026-12-05T21:57:01.930Z', caller: 'raft/raft.go:706', msg });
    const log = [line('e91ef21654f7c779 became follower at term 0'), line('e91ef21654f7c779 became leader at term 2'), line('39a7965ed87b4187 became follower at term 0'), line('39a7965ed87b4187 became follower at term 2')].join('\n');
    const t = etcdTrace(new Map([['n1', log]]));
    expect(t.observations.map((o) => `${o.node}:${'term' in o ? o.term : '-'}`)).toEqual(['n1:0', 'n1:2', 'n1 (member 39a7965ed87b4187):0', 'n1 (member 39a7965ed87b4187):2']);
    expect(checkRaftProtocol(t).valid).toBe(true);
  });

  it("etcd 3.4: a new member whose first line is a higher-term message is that new member, not the old one going back to term 0", () => {
    const line = (msg: string) => JSON.stringify({ level: 'info', ts: '2026-12-05T21:57:01.930Z', caller: 'raft/raft.go:706', msg });
    const log = [
      line('e91ef21654f7c779 became leader at term 3'),
      line('39a7965ed87b4187 [term: 0] received a MsgHeartbeat message with higher term from 8e9e05c52164694d [term: 3]'),
      line('39a7965ed87b4187 became follower at term 3'),
    ].join('\n');
    const t = etcdTrace(new Map([['n4', log]]));
    expect(t.observations.map((o) => `${o.node}:${'term' in o ? o.term : '-'}`)).toEqual(['n4:3', 'n4 (member 39a7965ed87b4187):0', 'n4 (member 39a7965ed87b4187):3']);
    expect(checkRaftProtocol(t).valid).toBe(true);
  });
});

describe('raft-protocol: applied-entries-agree (State Machine Safety)', () => {
  const applied = (node: string, from: number, ...entries: string[]): RaftObservation => ({ node, what: 'applied', from, entries });
  it('members applying the same entries, at different times and in different batches, agree', () => {
    const t = trace(applied('n1', 1, '1:aa', '1:bb', '2:cc'), applied('n2', 1, '1:aa'), applied('n2', 2, '1:bb', '2:cc'), applied('n3', 3, '2:'));
    expect(checkRaftProtocol(t).valid).toBe(true);
    expect(checkRaftProtocol(t).summary).toContain('7 entries applied');
  });

  it('two members applying different commands at one index: invalid, naming both', () => {
    const r = checkRaftProtocol(trace(applied('n1', 1, '1:aa', '1:bb'), applied('n2', 1, '1:aa', '2:dd')));
    expect(r.valid).toBe(false);
    const v = (r.details as RaftProtocolDetails).violations;
    expect(v.map((x) => [x.rule, x.nodes, x.term])).toEqual([['applied-entries-agree', ['n1', 'n2'], 2]]);
    expect(v[0].explanation).toContain('at index 2');
  });

  it('same term, different command (two leaders in one term wrote there): invalid', () => {
    expect(rules(trace(applied('n1', 5, '3:aa'), applied('n2', 5, '3:bb')))).toEqual(['applied-entries-agree']);
  });

  it('one member re-applying a different entry after a restart: invalid', () => {
    const r = checkRaftProtocol(trace(applied('n1', 1, '1:aa', '1:bb'), { node: 'n1', what: 'restart', term: 1 }, applied('n1', 2, '1:xx')));
    expect(r.valid).toBe(false);
    expect(r.summary).toContain('after a restart');
  });

  it("a snapshot's last entry is held by its term only", () => {
    expect(checkRaftProtocol(trace(applied('n1', 4, '2:aa'), applied('n2', 4, '2:'))).valid).toBe(true);
    expect(rules(trace(applied('n1', 4, '2:aa'), applied('n2', 4, '3:')))).toEqual(['applied-entries-agree']);
  });

  it('an applied entry of an older term after a newer event does not count as the term going back', () => {
    expect(checkRaftProtocol(trace({ node: 'n1', what: 'leader', term: 5 }, applied('n1', 1, '3:aa'))).valid).toBe(true);
  });
});
