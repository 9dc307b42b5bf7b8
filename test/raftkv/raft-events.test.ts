// The core's coverage events (Ready.events) at the exact step they happen,
// on one node fed messages by hand: votes granted and refused for a stale
// log, a term jump, a restart from durable state.
import { describe, expect, it } from 'vitest';
import { RaftNode, type RaftEvent } from '../../raftkv/index.ts';

const vote = (from: string, term: number, lastLogIndex: number, lastLogTerm: number, type: 'vote' | 'prevote' = 'vote') =>
  ({ type, from, to: 'a', term, lastLogIndex, lastLogTerm }) as const;

const eventsOf = (node: RaftNode): RaftEvent[] => node.ready().events;

describe('raft core: coverage events', () => {
  it('a restart from durable state; a (pre-)vote refused to a stale log; a vote granted; a term jump', () => {
    const entries = [1, 2].map((index) => ({ index, term: 1, command: null }));
    const a = new RaftNode({ id: 'a', members: ['a', 'b', 'c'], random: () => 0 }, { hardState: { term: 1, votedFor: null }, entries });
    expect(eventsOf(a)).toEqual([{ event: 'restart-recovered', term: 1, lastIndex: 2, snapshotIndex: 0 }]);

    a.receive(vote('b', 2, 1, 1, 'prevote'));
    expect(eventsOf(a)).toEqual([{ event: 'vote-rejected-stale-log', term: 1, candidate: 'b', pre: true, lastIndex: 2, lastTerm: 1 }]);
    a.receive(vote('b', 2, 1, 1));
    expect(eventsOf(a)).toEqual([{ event: 'vote-rejected-stale-log', term: 2, candidate: 'b', pre: false, lastIndex: 2, lastTerm: 1 }]);
    a.receive(vote('c', 2, 2, 1));
    expect(eventsOf(a)).toEqual([{ event: 'vote-granted', term: 2, candidate: 'c' }]);

    a.receive(vote('b', 5, 9, 4));
    expect(eventsOf(a).map((e) => e.event)).toEqual(['term-jump', 'vote-granted']);
    expect(a.ready().events).toEqual([]); // handed out once
  });

  it('a fresh node reports nothing at start', () => {
    expect(new RaftNode({ id: 'a', members: ['a', 'b', 'c'] }).ready().events).toEqual([]);
  });
});
