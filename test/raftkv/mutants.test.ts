// The mutation suite (raftkv/mutants.ts): each mutant really changes what
// the node does, shown at the lowest level that shows it. Most drive one
// RaftNode by hand with the messages of a scenario; the persistence ones go
// through Storage or the server. Each scenario runs twice: without the
// mutant the rule holds, with it the rule is broken in the named way.
import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RaftNode, type RaftStart } from '../../raftkv/raft/node.ts';
import type { AppendReply, AppendRequest, Entry, Message, NodeId } from '../../raftkv/raft/messages.ts';
import { MUTANTS, mutantActLine, mutantActsOfLog, mutantsOf, parseMutants, type MutantName } from '../../raftkv/mutants.ts';
import { BUGS, NO_BUGS } from '../../raftkv/bugs.ts';
import { Storage } from '../../raftkv/storage.ts';
import { seal } from '../../raftkv/checksum.ts';
import { RaftKvServer } from '../../raftkv/server.ts';
import { configFromArgs, serverArgs } from '../../raftkv/cli-args.ts';

// ---- what acted: every node, recovery and server log of the scenario ------

const actedNodes: RaftNode[] = [];
const actedElsewhere = new Set<MutantName>();

/** The mutants that reported acting since the last call (mutants.ts MutantAct). */
function takeActs(): MutantName[] {
  const all = new Set([...actedElsewhere, ...actedNodes.flatMap((n) => [...n.mutantsActed])]);
  actedNodes.length = 0;
  actedElsewhere.clear();
  return [...all].sort();
}

/** Storage.load(), its acts noted. */
function loadFrom(dir: string, mutants: MutantName[]): ReturnType<Storage['load']> {
  const recovered = new Storage(dir, NO_BUGS, parseMutants(mutants)).load();
  for (const m of recovered.mutantsActed) actedElsewhere.add(m);
  return recovered;
}

// ---- driving one node by hand ----------------------------------------------

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => `n${i + 1}`);

/** Entries 1.. with these terms. */
const logOf = (...terms: number[]): Entry[] => terms.map((term, i) => ({ index: i + 1, term, command: { op: 'put', key: `k${i + 1}`, value: term } }));

/** n1 of an n-member cluster, from `start`; election timeouts are fixed (no randomness). */
function nodeN1(mutants: MutantName[], start: RaftStart = {}, members = 3): RaftNode {
  const node = new RaftNode({ id: 'n1', members: ids(members), electionTimeout: 100, heartbeatInterval: 20, random: () => 0, mutants: new Set(mutants) }, start);
  node.tick(0);
  actedNodes.push(node);
  return node;
}

/** Take every Ready; the messages they sent. */
function drain(node: RaftNode): Message[] {
  const sent: Message[] = [];
  while (node.hasReady()) sent.push(...node.ready().messages);
  return sent;
}

/** n1 campaigns (its election timer fires) and every peer grants its pre-vote and vote: it leads. */
function elect(node: RaftNode): void {
  node.tick(1_000);
  const peers = node.config.members.filter((m) => m !== 'n1');
  for (const from of peers) {
    if (node.status().role === 'precandidate') node.receive({ type: 'prevote-reply', from, to: 'n1', term: node.status().term + 1, granted: true });
  }
  for (const from of peers) {
    if (node.status().role === 'candidate') node.receive({ type: 'vote-reply', from, to: 'n1', term: node.status().term, granted: true });
  }
  expect(node.status().role).toBe('leader');
}

function append(from: NodeId, m: Partial<AppendRequest> & Pick<AppendRequest, 'term' | 'prevIndex' | 'prevTerm'>): AppendRequest {
  return { type: 'append', from, to: 'n1', entries: [], commit: 0, round: 1, ...m };
}

function appendReply(from: NodeId, m: Partial<AppendReply> & Pick<AppendReply, 'term' | 'success' | 'round'>): AppendReply {
  return { type: 'append-reply', from, to: 'n1', matchIndex: 0, prevIndex: 0, conflictTerm: null, conflictIndex: 0, ...m };
}

/** The first message of this type among `sent`. */
function reply<T extends Message['type']>(sent: Message[], type: T): Message & { type: T } {
  const found = sent.find((m): m is Message & { type: T } => m.type === type);
  if (!found) throw new Error(`no ${type} sent`);
  return found;
}

const terms = (node: RaftNode): number[] => node.entries().map((e) => e.term);

// ---- persistence ---------------------------------------------------------

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'raftkv-mutants-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

// ---- the scenarios -------------------------------------------------------

interface Scenario {
  /** What the node does; compared with and without the mutant. */
  run(mutants: MutantName[]): unknown;
  /** The rule kept (no mutant). */
  right: unknown;
  /** The rule broken (the mutant on). */
  wrong: unknown;
}

/** One per mutant: the compiler makes a new mutant bring its scenario. */
const SCENARIOS: Record<MutantName, Scenario> = {
  'quorum-off-by-one': {
    // Five members: the leader and one follower hold a new entry. Two of five is no majority.
    run(mutants) {
      const node = nodeN1(mutants, {}, 5);
      elect(node);
      const { index } = node.propose({ op: 'put', key: 'x', value: 1 }) as { index: number };
      node.receive(appendReply('n2', { term: node.status().term, success: true, matchIndex: index, round: 1 }));
      return { committed: node.status().commitIndex >= index };
    },
    right: { committed: false },
    wrong: { committed: true },
  },
  'vote-ignores-log': {
    // n1's log ends at (3, term 1); n2's at (1, term 1): n2's log is behind.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null }, entries: logOf(1, 1, 1) });
      node.receive({ type: 'prevote', from: 'n2', to: 'n1', term: 2, lastLogIndex: 1, lastLogTerm: 1 });
      node.receive({ type: 'vote', from: 'n2', to: 'n1', term: 2, lastLogIndex: 1, lastLogTerm: 1 });
      const sent = drain(node);
      return { preVote: reply(sent, 'prevote-reply').granted, vote: reply(sent, 'vote-reply').granted };
    },
    right: { preVote: false, vote: false },
    wrong: { preVote: true, vote: true },
  },
  'append-skips-prev-check': {
    // n1 holds (2, term 1); the leader of term 3 says the entry at 2 is of term 2.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 2, votedFor: null }, entries: logOf(1, 1) });
      node.receive(append('n2', { term: 3, prevIndex: 2, prevTerm: 2, entries: [{ index: 3, term: 3, command: null }], commit: 3 }));
      const sent = drain(node);
      return { success: reply(sent, 'append-reply').success, log: terms(node), commit: node.status().commitIndex };
    },
    right: { success: false, log: [1, 1], commit: 0 },
    // It applies its own entry 2 of term 1 as committed, which the leader never had.
    wrong: { success: true, log: [1, 1, 3], commit: 3 },
  },
  'follower-commit-beyond-match': {
    // n1 holds a stale tail (3, term 1); the leader of term 2 confirms entries up to 2 and has committed 3 (its own entry 3).
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null }, entries: logOf(1, 1, 1) });
      node.receive(append('n2', { term: 2, prevIndex: 2, prevTerm: 1, commit: 3 }));
      drain(node);
      return { commit: node.status().commitIndex };
    },
    right: { commit: 2 },
    wrong: { commit: 3 },
  },
  'vote-not-persisted': {
    // n1 voted for n2 in term 3 and restarts from what it saved; then n3, a candidate of term 3 too, asks.
    run(mutants) {
      const dir = tempDir();
      const storage = new Storage(dir, NO_BUGS, parseMutants(mutants));
      storage.save({ hardState: { term: 3, votedFor: 'n2' }, entries: [] });
      storage.close();
      const { hardState, forgottenVote } = loadFrom(dir, mutants);
      const node = nodeN1(mutants, { hardState, forgottenVote });
      node.receive({ type: 'vote', from: 'n3', to: 'n1', term: 3, lastLogIndex: 0, lastLogTerm: 0 });
      return { restored: hardState, n3: reply(drain(node), 'vote-reply').granted };
    },
    right: { restored: { term: 3, votedFor: 'n2' }, n3: false },
    wrong: { restored: { term: 3, votedFor: null }, n3: true },
  },
  'leader-ignores-higher-term': {
    // n1 leads term 2 and asks for a read; n2, which has moved on to term 5, rejects the round's append.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null } });
      elect(node);
      const term = node.status().term;
      node.receive(appendReply('n2', { term, success: true, matchIndex: 1, round: 1 })); // the no-op commits
      drain(node);
      node.requestRead('r');
      const round = reply(drain(node), 'append').round;
      node.receive(appendReply('n2', { term: 5, success: false, round }));
      const rd = node.ready();
      return { role: node.status().role, served: rd.reads.map((r) => r.id), failed: rd.failedReads.map((r) => r.id) };
    },
    right: { role: 'follower', served: [], failed: ['r'] },
    wrong: { role: 'leader', served: ['r'], failed: [] },
  },
  'snapshot-drops-newer-entries': {
    // n1 holds 1..5 of term 1; the leader's snapshot covers 1..3, and n1's entry 3 matches it.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null }, entries: logOf(1, 1, 1, 1, 1) });
      node.receive({ type: 'snapshot', from: 'n2', to: 'n1', term: 1, round: 1, snapshot: { meta: { index: 3, term: 1 }, data: {} } });
      drain(node);
      return { lastIndex: node.status().lastIndex };
    },
    right: { lastIndex: 5 },
    wrong: { lastIndex: 3 },
  },
  'read-index-before-own-commit': {
    // n1 holds 1..3 of term 1, committed by the previous leader though n1 does not know it (its commit index is 0).
    // It wins term 2; n2 answers the read's round but has not taken the new leader's no-op yet.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null }, entries: logOf(1, 1, 1) });
      elect(node);
      drain(node);
      node.requestRead('r');
      const heartbeat = reply(drain(node), 'append');
      node.receive(appendReply('n2', { term: node.status().term, success: false, prevIndex: heartbeat.prevIndex, conflictIndex: 4, round: heartbeat.round }));
      return { reads: node.ready().reads };
    },
    right: { reads: [] },
    // Served at index 0: a read that misses the three committed writes.
    wrong: { reads: [{ id: 'r', index: 0 }] },
  },
  'double-vote': {
    // Two candidates of term 2 ask n1 in turn.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null } });
      node.receive({ type: 'vote', from: 'n2', to: 'n1', term: 2, lastLogIndex: 0, lastLogTerm: 0 });
      node.receive({ type: 'vote', from: 'n3', to: 'n1', term: 2, lastLogIndex: 0, lastLogTerm: 0 });
      return drain(node).flatMap((m) => (m.type === 'vote-reply' ? [[m.to, m.granted]] : []));
    },
    right: [['n2', true], ['n3', false]],
    wrong: [['n2', true], ['n3', true]],
  },
  'stale-term-append': {
    // n1 is at term 3; a leader of term 2 (deposed, it has not heard) sends its entry 2 of term 2.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 3, votedFor: null }, entries: logOf(1, 3) });
      node.receive(append('n2', { term: 2, prevIndex: 1, prevTerm: 1, entries: [{ index: 2, term: 2, command: null }] }));
      const sent = drain(node);
      return { success: reply(sent, 'append-reply').success, log: terms(node) };
    },
    right: { success: false, log: [1, 3] },
    wrong: { success: true, log: [1, 2] },
  },
  'match-index-from-own-log': {
    // n1 leads with its no-op (1) and two proposals (2, 3); n2 confirms only the no-op.
    run(mutants) {
      const node = nodeN1(mutants);
      elect(node);
      node.propose({ op: 'put', key: 'a', value: 1 });
      node.propose({ op: 'put', key: 'b', value: 2 });
      node.receive(appendReply('n2', { term: node.status().term, success: true, matchIndex: 1, round: 1 }));
      return { commit: node.status().commitIndex };
    },
    right: { commit: 1 },
    wrong: { commit: 3 },
  },
  'term-not-restored': {
    // A node that voted in term 7 restarts (the server's own recovery from its data directory).
    async run(mutants) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'hardstate.json'), seal(JSON.stringify({ term: 7, votedFor: 'n2' })));
      const config = configFromArgs(serverArgs({
        id: 'n1',
        peers: { n1: 'http://127.0.0.1:0', n2: 'http://127.0.0.1:9' },
        clientPort: 0,
        dataDir: dir,
        host: '127.0.0.1',
        electionTimeout: 600_000, // no campaign while we look
        mutants,
      }));
      const server = await RaftKvServer.start({ ...config, log: (line) => mutantActsOfLog(line).forEach((_, m) => actedElsewhere.add(m)) });
      try {
        return { term: server.status().term };
      } finally {
        await server.stop();
      }
    },
    right: { term: 7 },
    wrong: { term: 0 },
  },
  'votes-from-older-term-counted': {
    // n1 (at term 2) campaigns for term 3; n2's pre-vote is granted but its vote has not come; n3's late
    // grant from n1's term-2 campaign arrives.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 2, votedFor: 'n1' } });
      node.tick(1_000);
      node.receive({ type: 'prevote-reply', from: 'n2', to: 'n1', term: 3, granted: true });
      expect(node.status()).toMatchObject({ role: 'candidate', term: 3 });
      node.receive({ type: 'vote-reply', from: 'n3', to: 'n1', term: 2, granted: true });
      return { role: node.status().role };
    },
    right: { role: 'candidate' },
    wrong: { role: 'leader' },
  },
  'append-truncates-suffix': {
    // n1 holds and acknowledged 1..4; a delayed append of the same leader, carrying only entry 2, arrives late.
    run(mutants) {
      const node = nodeN1(mutants, { hardState: { term: 1, votedFor: null }, entries: logOf(1, 1, 1, 1) });
      node.receive(append('n2', { term: 1, prevIndex: 1, prevTerm: 1, entries: logOf(1, 1).slice(1) }));
      const sent = drain(node);
      return { success: reply(sent, 'append-reply').success, lastIndex: node.status().lastIndex };
    },
    right: { success: true, lastIndex: 4 },
    wrong: { success: true, lastIndex: 2 },
  },
  'truncation-lost-on-restart': {
    // A stale tail 1..3 of term 1; a new leader overwrote entry 2 (which drops 3); then a restart.
    run(mutants) {
      const dir = tempDir();
      const storage = new Storage(dir, NO_BUGS);
      storage.save({ entries: logOf(1, 1, 1) });
      storage.save({ entries: [{ index: 2, term: 2, command: null }] });
      storage.close();
      return loadFrom(dir, mutants).entries.map((e) => [e.index, e.term]);
    },
    right: [[1, 1], [2, 2]],
    wrong: [[1, 1], [2, 2], [3, 1]],
  },
};

describe('the mutation suite', () => {
  it.each(Object.keys(SCENARIOS) as MutantName[])('%s: the rule holds without the mutant and breaks with it, and only then does the mutant report acting', async (name) => {
    const s = SCENARIOS[name];
    takeActs();
    expect(await s.run([]), 'without the mutant').toEqual(s.right);
    expect(takeActs(), 'acts without the mutant').toEqual([]);
    expect(await s.run([name]), `with ${name}`).toEqual(s.wrong);
    expect(takeActs(), `acts with ${name}`).toEqual([name]);
  });

  it('a rewrite that a later record repeats is no act: truncation-lost-on-restart acts only when the replayed log ends longer', () => {
    const dir = tempDir();
    const storage = new Storage(dir, NO_BUGS);
    storage.save({ entries: logOf(1, 1, 1) });
    storage.save({ entries: [{ index: 2, term: 2, command: null }, { index: 3, term: 2, command: null }] });
    storage.close();
    expect(loadFrom(dir, ['truncation-lost-on-restart']).entries.map((e) => e.term)).toEqual([1, 2, 2]);
    expect(takeActs()).toEqual([]);
  });

  it('acts are logged once per mutant and term, and read back per mutant from a node log', () => {
    const node = nodeN1(['double-vote'], { hardState: { term: 1, votedFor: null } });
    for (const from of ['n2', 'n3', 'n2', 'n3']) node.receive({ type: 'vote', from, to: 'n1', term: 2, lastLogIndex: 0, lastLogTerm: 0 });
    const acts = node.ready().mutantActs;
    expect(acts).toEqual([{ mutant: 'double-vote', term: 2 }]);
    const log = [...acts, { mutant: 'double-vote' as const, term: 3 }, { mutant: 'vote-ignores-log' as const, term: 3 }]
      .map((a) => `2026-12-07T07:00:00.000Z n1 ${mutantActLine(a)}`)
      .concat(['n1 mutant-acted {"mutant":"nope","term":1}', 'n1 mutant-acted {"mutant":"double-vo']);
    expect(Object.fromEntries(mutantActsOfLog(log.join('\n')))).toEqual({ 'double-vote': 2, 'vote-ignores-log': 1 });
  });

  it('has at least 10 tuning and 4 held-out mutants, each described in one line, none named like a seeded bug', () => {
    expect(mutantsOf('tuning').length).toBeGreaterThanOrEqual(10);
    expect(mutantsOf('held-out').length).toBeGreaterThanOrEqual(4);
    for (const [name, m] of Object.entries(MUTANTS)) {
      expect(m.description, name).not.toMatch(/\n/);
      expect(Object.keys(BUGS)).not.toContain(name);
    }
  });

  it('every mutant is a marked conditional in the server source (`// mutant NAME:`)', () => {
    const dir = path.join(import.meta.dirname, '../../raftkv');
    const files = ['raft/node.ts', 'raft/log.ts', 'server.ts', 'storage.ts'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    for (const name of Object.keys(MUTANTS)) expect(files, name).toContain(`// mutant ${name}:`);
  });

  it('the command line takes --mutant (repeatable) and refuses an unknown one, listing the known ones', () => {
    const base = { id: 'n1', peers: { n1: 'http://127.0.0.1:1' }, clientPort: 1, dataDir: '/d' };
    const config = configFromArgs(serverArgs({ ...base, mutants: ['double-vote', 'vote-ignores-log'], bugs: ['stale-read'] }));
    expect([...config.mutants].sort()).toEqual(['double-vote', 'vote-ignores-log']);
    expect([...config.bugs]).toEqual(['stale-read']);
    expect(configFromArgs(serverArgs(base)).mutants.size).toBe(0);
    expect(() => configFromArgs([...serverArgs(base), '--mutant', 'nope'])).toThrow(/unknown mutant 'nope'; known: quorum-off-by-one, /);
  });
});
