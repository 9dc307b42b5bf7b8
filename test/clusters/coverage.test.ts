// The coverage parsers on real log lines: raftkv's from a LocalCluster run
// (a leader cut off with uncommitted writes and pending reads, killed,
// restarted after a new leader won: truncation), etcd 3.4.23's from a local
// three-member cluster run with etcdDb()'s logging flags (the same scenario,
// a follower fed a snapshot; rejected stale votes; reads across leader kills).
// The fixtures (fixtures/coverage/*.txt: .log is git-ignored) are those logs cut to the raft lines and a few others.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageFromEtcdLog, etcdCoverage } from '../../clusters/etcd/coverage.ts';
import { coverageFromRaftkvLog, raftkvCoverage } from '../../clusters/raftkv/coverage.ts';
import { coverageView } from '../../reports/coverage-view.ts';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', 'coverage', name), 'utf8');
const logs = (prefix: string, nodes: string[]): Map<string, string> => new Map(nodes.map((n) => [n, fixture(`${prefix}-${n}.txt`)]));

describe('raftkv coverage lines', () => {
  it('counts each node\'s events: the cut-off leader, the new leader, a voter', () => {
    expect(coverageFromRaftkvLog(fixture('raftkv-n1.txt')).events).toEqual({
      'leader-elected': 1,
      'leader-change-with-uncommitted': 1,
      'read-during-leader-change': 1,
      'restart-recovered': 1,
      'term-jump': 1,
      'log-truncated': 1,
      'elected-with-stale-log': 1,
    });
    expect(coverageFromRaftkvLog(fixture('raftkv-n2.txt')).events).toEqual({ 'vote-granted': 1, 'restart-recovered': 1, 'leader-elected': 1, 'earlier-term-commit': 1 });
    expect(coverageFromRaftkvLog(fixture('raftkv-n3.txt')).events).toEqual({ 'vote-granted': 3, 'restart-recovered': 1 });
  });

  it('sums the nodes, keeps them per node, and has no unsupported event', () => {
    const c = raftkvCoverage(logs('raftkv', ['n1', 'n2', 'n3']));
    expect(c.events['leader-elected']).toBe(2);
    expect(c.events['vote-granted']).toBe(4);
    expect(c.events['restart-recovered']).toBe(3);
    expect(c.perNode?.n3).toEqual({ 'vote-granted': 3, 'restart-recovered': 1 });
    expect(c.unsupported).toEqual([]);
    expect(c.notes).toEqual([]);
  });

  it('a line cut off by a kill, or an event it does not know, is a note, not a count', () => {
    const text = [
      '2026-12-04T19:11:40.590Z n1 coverage {"event":"leader-elected","term":1,"lastIndex":0,"lastTerm":0}',
      '2026-12-04T19:11:41.811Z n1 coverage {"event":"leader-change-with-uncomm',
      '2026-12-04T19:11:41.811Z n1 coverage {"event":"made-up","term":1}',
    ].join('\n');
    const c = raftkvCoverage(new Map([['n1', text]]));
    expect(c.events).toEqual({ 'leader-elected': 1 });
    expect(c.notes).toEqual(['n1: 1 coverage line(s) were not JSON (cut off by a kill?)', 'n1: unknown event "made-up" skipped (a newer server?)']);
  });
});

describe('raftkv: a planted bug acting', () => {
  it('is a note of the run\'s coverage summed over nodes, never an event explore could steer by', () => {
    const n1 = ['2026-12-07T07:00:00.000Z n1 mutant-acted {"mutant":"double-vote","term":2}', '2026-12-07T07:00:01.000Z n1 mutant-acted {"mutant":"double-vote","term":3}'].join('\n');
    const n2 = '2026-12-07T07:00:00.500Z n2 mutant-acted {"mutant":"double-vote","term":2}';
    const c = raftkvCoverage(new Map([['n1', n1], ['n2', n2], ['n3', '']]));
    expect(c.events).toEqual({});
    expect(c.notes).toEqual(['planted bug double-vote (mutation suite) acted 3 time(s), counted once per node and term']);
  });
});

describe('etcd 3.4 logs', () => {
  it('elections, votes, restarts; a truncation by the new leader\'s first entry; a snapshot install', () => {
    expect(coverageFromEtcdLog(fixture('etcd-e1.txt')).events).toEqual({ 'vote-granted': 1, 'restart-recovered': 1, 'leader-elected': 1 });
    expect(coverageFromEtcdLog(fixture('etcd-e2.txt')).events).toEqual({
      'leader-elected': 1,
      'restart-recovered': 2,
      'log-truncated': 1,
      'elected-with-stale-log': 1,
      'snapshot-installed': 1,
    });
    const c = etcdCoverage(logs('etcd', ['e1', 'e2', 'e3']));
    expect(c.events).toEqual({
      'leader-elected': 2,
      'elected-with-stale-log': 1,
      'log-truncated': 1,
      'snapshot-installed': 1,
      'vote-granted': 3,
      'restart-recovered': 4,
    });
    expect(c.unsupported).toEqual(['leader-change-with-uncommitted', 'earlier-term-commit']);
  });

  it('a conflict with an entry of an older term than the member\'s own is a truncation only', () => {
    const text = [
      '{"level":"info","ts":"2026-12-04T19:07:44.923Z","caller":"raft/raft.go:706","msg":"56672756649cfed3 became follower at term 4"}',
      '{"level":"info","ts":"2026-12-04T19:07:44.930Z","caller":"raft/log.go:132","msg":"found conflict at index 14 [existing term: 2, conflicting term: 3]"}',
    ].join('\n');
    expect(coverageFromEtcdLog(text).events).toEqual({ 'log-truncated': 1 });
  });

  it('term jumps and votes refused to a candidate with a stale log (but not a vote refused for other reasons)', () => {
    expect(coverageFromEtcdLog(fixture('etcd-votes.txt')).events).toEqual({
      'leader-elected': 1,
      'term-jump': 1,
      'vote-rejected-stale-log': 3,
      'vote-granted': 1,
    });
    const alreadyVoted =
      '{"level":"info","ts":"2026-12-04T19:06:20.573Z","caller":"raft/raft.go:984","msg":"56672756649cfed3 [logterm: 3, index: 25, vote: 48d354dc9a69bb7e] rejected MsgVote from a20cdaf76b29d939 [logterm: 3, index: 25] at term 6"}';
    expect(coverageFromEtcdLog(alreadyVoted).events).toEqual({});
  });

  it('a linearizable read waiting while a new leader took over', () => {
    expect(coverageFromEtcdLog(fixture('etcd-reads.txt')).events).toMatchObject({ 'read-during-leader-change': 1 });
  });

  it('says so when the log has no zap JSON at all', () => {
    expect(coverageFromEtcdLog('2024-01-01 00:00:00.000000 I | raft: 1 became leader at term 2\n').notes).toContain(
      'no zap JSON lines in the log: was etcd started with --logger=zap?',
    );
  });
});

describe('the report\'s coverage table', () => {
  it('every event in order; unsupported ones are null (not observable), unreached ones 0', () => {
    const view = coverageView(etcdCoverage(logs('etcd', ['e1', 'e2', 'e3'])));
    expect(view.nodes).toEqual(['e1', 'e2', 'e3']);
    expect(view.rows.map((r) => r.event)[0]).toBe('leader-elected');
    expect(view.rows.find((r) => r.event === 'earlier-term-commit')).toEqual({ event: 'earlier-term-commit', count: null, perNode: [null, null, null] });
    expect(view.rows.find((r) => r.event === 'term-jump')).toEqual({ event: 'term-jump', count: 0, perNode: [0, 0, 0] });
    expect(view.rows.find((r) => r.event === 'vote-granted')).toEqual({ event: 'vote-granted', count: 3, perNode: [1, 0, 2] });
    expect([view.reached, view.observable]).toEqual([6, 9]);
  });
});
