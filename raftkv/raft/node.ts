// The Raft state machine, with no I/O: the host feeds it time (tick), peer
// messages (receive), client commands (propose) and read requests
// (requestRead), then drains a Ready: what to persist, what to send, what to
// apply. The host must persist a Ready's hard state, snapshot and entries
// before it sends the Ready's messages (a vote or an ack promises durability).
//
// Beyond the paper's core: pre-vote and check-quorum (a node cut off cannot
// disrupt a healthy leader; a leader without a quorum steps down), fast
// back-off with conflict hints, snapshots for lagging followers, ReadIndex.
//
// The mutation suite (../mutants.ts) breaks single rules here, each at the
// line that implements the rule, marked `// mutant NAME: ...`.
import type { Bugs } from '../bugs.ts';
import type { MutantAct, MutantName, Mutants } from '../mutants.ts';
import { raftConfig, type RaftConfig, type RaftOptions } from './config.ts';
import { RaftLog } from './log.ts';
import type { RaftEvent, RaftEventName } from './events.ts';
import type {
  AppendReply,
  AppendRequest,
  Entry,
  HardState,
  Message,
  NodeId,
  PreVoteRequest,
  Snapshot,
  SnapshotReply,
  SnapshotRequest,
  VoteReply,
  VoteRequest,
} from './messages.ts';

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** A read the leader has confirmed: serve it once the state machine has applied `index`. */
export interface ReadState {
  id: string;
  index: number;
}

/** A read that definitely was not served (this node is not, or stopped being, the leader). */
export interface FailedRead {
  id: string;
  leader: NodeId | null;
}

export interface Ready {
  /** Persist (atomically) when present. */
  hardState?: HardState;
  /** A snapshot from the leader: persist it, then restore the state machine from it before applying `committed`. */
  snapshot?: Snapshot;
  /**
   * unsafe-snapshot only: a snapshot older than this node's own compaction
   * point. The log cannot take it, but the bug restores the state machine
   * from it all the same (not persisted: a restart undoes the damage).
   */
  rollback?: Snapshot;
  /**
   * Log entries to persist. Without a snapshot they replace the durable log
   * from entries[0].index on; with one, they are the whole log after it.
   */
  entries: Entry[];
  /** Send after persisting. */
  messages: Message[];
  /** Apply in order (after persisting). */
  committed: Entry[];
  reads: ReadState[];
  failedReads: FailedRead[];
  /** Interesting events since the last Ready (events.ts), for the host's log. */
  events: RaftEvent[];
  /** Planted bugs that acted since the last Ready (at most once per mutant and term), for the host's log. */
  mutantActs: MutantAct[];
}

/** What a node restarts from: the durable state the host loaded. */
export interface RaftStart {
  hardState?: HardState;
  snapshot?: Snapshot;
  entries?: Entry[];
  /** The host's state machine already reflects entries up to here (default: the snapshot's index). */
  applied?: number;
  /**
   * vote-not-persisted only: the vote of the recovered term the restart
   * forgot (the storage keeps it aside to count the mutant's acts, never to
   * restore it). A vote for another candidate in that term is the mutant acting.
   */
  forgottenVote?: { term: number; votedFor: NodeId };
}

export type ProposeResult = { ok: true; index: number; term: number } | { ok: false; leader: NodeId | null };

export interface RaftStatus {
  id: NodeId;
  role: Role;
  term: number;
  leader: NodeId | null;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  /** Term of the last log entry: with lastIndex, how up to date the log is (the vote rule's order). */
  lastTerm: number;
  /** Whom this node voted for in `term` (null: nobody yet), as it will be persisted. */
  votedFor: NodeId | null;
  snapshotIndex: number;
}

/** The leader's view of one follower. */
interface Progress {
  /** Next index to send (advanced optimistically as appends go out). */
  next: number;
  /** Highest index known to match the leader's log. */
  match: number;
  /** Heard from since the last check-quorum. */
  active: boolean;
  /** Highest broadcast round this follower acknowledged in this term. */
  ackedRound: number;
  /** A snapshot is in flight until this (elapsed) time; 0 when none. */
  snapshotUntil: number;
}

interface PendingRead {
  id: string;
  /** Commit index to wait for; null until the leader has committed an entry of its own term. */
  index: number | null;
  /** Broadcast round that must reach a quorum; null until the next broadcast. */
  round: number | null;
}

export class RaftNode {
  readonly config: RaftConfig;
  private readonly bugs: Bugs;
  private readonly mutants: Mutants;
  private readonly peers: NodeId[];
  private readonly quorum: number;
  /** A true majority: what `quorum` is unless quorum-off-by-one is planted (its acts are where the two disagree). */
  private readonly majority: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;

  private term = 0;
  private votedFor: NodeId | null = null;
  private readonly log: RaftLog;
  /** Latest snapshot (sent to followers whose next entry was compacted away). */
  private snapshot: Snapshot | undefined;
  private role: Role = 'follower';
  private leader: NodeId | null = null;
  private commit: number;
  private applied: number;

  // What the next Ready hands out.
  private hardStateDirty = false;
  private snapshotToInstall: Snapshot | undefined;
  private rollbackTo: Snapshot | undefined;
  private outbox: Message[] = [];
  private readsReady: ReadState[] = [];
  private readsFailed: FailedRead[] = [];
  private events: RaftEvent[] = [];
  private mutantActs: MutantAct[] = [];
  private readonly actedKeys = new Set<string>();
  /** Every planted bug that acted on this node so far (tests read it). */
  readonly mutantsActed = new Set<MutantName>();
  private readonly forgottenVote: RaftStart['forgottenVote'];

  // Time. `elapsed` only moves forward (a clock stepping back counts as no
  // time) and drives every timer; `clock` is the host's raw reading, which
  // only the lease-read bug trusts.
  private lastNow: number | undefined;
  private elapsed = 0;
  private clock = 0;
  private electionDeadline = 0;
  private heartbeatDue = 0;
  private quorumCheckDue = 0;
  private leaderContact = -Infinity;

  // Elections: who answered this (pre-)campaign, and how.
  private votes = new Map<NodeId, boolean>();

  // Leader state.
  private progress = new Map<NodeId, Progress>();
  private round = 0;
  private readonly roundSentAt = new Map<number, number>();
  private leaseUntil = -Infinity;
  private pendingReads: PendingRead[] = [];
  private readRoundNeeded = false;

  constructor(options: RaftOptions, start: RaftStart = {}) {
    this.config = raftConfig(options);
    this.bugs = this.config.bugs;
    this.mutants = this.config.mutants;
    this.peers = this.config.members.filter((m) => m !== this.config.id);
    // mutant quorum-off-by-one: floor(n/2) members, one short of a majority (2 of 5), so two quorums need not overlap.
    this.majority = Math.floor(this.config.members.length / 2) + 1;
    this.quorum = this.majority - (this.mutants.has('quorum-off-by-one') ? 1 : 0);
    this.preVote = !this.bugs.has('no-prevote');
    this.checkQuorum = !this.bugs.has('no-prevote');
    this.term = start.hardState?.term ?? 0;
    this.votedFor = start.hardState?.votedFor ?? null;
    this.forgottenVote = start.forgottenVote;
    this.snapshot = start.snapshot;
    this.log = new RaftLog(start.snapshot?.meta, start.entries ?? []);
    this.applied = Math.max(start.applied ?? 0, this.log.snapshotIndex);
    this.commit = this.applied;
    this.resetElectionTimer();
    if (start.hardState || start.snapshot || start.entries?.length) {
      this.note('restart-recovered', { lastIndex: this.log.lastIndex, snapshotIndex: this.log.snapshotIndex });
    }
  }

  // ---- inputs -------------------------------------------------------------

  /** Advance time to `now` (ms, the host's clock) and fire due timers. */
  tick(now: number): void {
    if (this.lastNow !== undefined) this.elapsed += Math.max(0, now - this.lastNow);
    this.lastNow = now;
    this.clock = now;
    if (this.role !== 'leader') {
      if (this.elapsed >= this.electionDeadline) this.campaign();
      return;
    }
    if (this.elapsed >= this.heartbeatDue) this.broadcast();
    if (this.checkQuorum && this.elapsed >= this.quorumCheckDue) {
      this.quorumCheckDue = this.elapsed + this.config.electionTimeout;
      const active = 1 + this.peers.filter((p) => this.progress.get(p)!.active).length;
      for (const p of this.peers) this.progress.get(p)!.active = false;
      // lease-read: a leader holding a lease believes no rival can exist before it ends, so it keeps
      // leading (and serving reads) until then, measured on its wall clock: a clock set back stretches it.
      const leaseHolds = this.bugs.has('lease-read') && this.clock < this.leaseUntil;
      if (active < this.quorum && !leaseHolds) this.becomeFollower(this.term, null);
      else if (active < this.majority && !leaseHolds) this.acted('quorum-off-by-one');
    }
  }

  /** Propose a command; only the leader accepts (it then waits for commit to learn the outcome). */
  propose(command: unknown): ProposeResult {
    if (this.role !== 'leader') return { ok: false, leader: this.leader };
    const entry: Entry = { index: this.log.lastIndex + 1, term: this.term, command };
    this.log.append(entry);
    for (const p of this.peers) this.sendAppend(p, false);
    this.maybeCommit();
    return { ok: true, index: entry.index, term: entry.term };
  }

  /** Ask for a linearizable read; the answer comes as a ReadState or FailedRead in a later Ready. */
  requestRead(id: string): void {
    if (this.role !== 'leader') {
      this.readsFailed.push({ id, leader: this.leader });
      return;
    }
    const committedInTerm = this.log.term(this.commit) === this.term;
    if (this.bugs.has('lease-read') && committedInTerm && this.clock < this.leaseUntil) {
      this.readsReady.push({ id, index: this.commit }); // trusts the clock: no quorum round
      return;
    }
    // mutant read-index-before-own-commit: the commit index is taken as the read index before this leader
    // committed an entry of its own term, when it may still lag what the previous leader committed.
    const readIndex = committedInTerm || this.mutants.has('read-index-before-own-commit') ? this.commit : null;
    if (!committedInTerm && readIndex !== null) this.acted('read-index-before-own-commit');
    this.pendingReads.push({ id, index: readIndex, round: null });
    this.readRoundNeeded = true;
  }

  receive(m: Message): void {
    if (m.to !== this.config.id || !this.config.members.includes(m.from)) return;
    if (m.term > this.term) {
      const isVote = m.type === 'prevote' || m.type === 'vote';
      if (isVote && this.inLease()) return; // a live leader exists: ignore the disruption
      const keepsTerm = m.type === 'prevote' || (m.type === 'prevote-reply' && m.granted);
      // mutant leader-ignores-higher-term: a leader reads a reply of a higher term as one of its own term.
      const ignored = this.mutants.has('leader-ignores-higher-term') && this.role === 'leader' && m.type.endsWith('-reply');
      if (!keepsTerm && !ignored) this.becomeFollower(m.term, m.type === 'append' || m.type === 'snapshot' ? m.from : null);
      if (!keepsTerm && ignored) this.acted('leader-ignores-higher-term');
    } else if (m.term < this.term) {
      // mutant stale-term-append: an append from an older term's leader is taken as current.
      const staleAppend = this.mutants.has('stale-term-append') && m.type === 'append';
      // mutant votes-from-older-term-counted: so is a vote reply answering an earlier campaign.
      const staleVote = this.mutants.has('votes-from-older-term-counted') && m.type === 'vote-reply' && m.granted;
      if (!staleAppend && !staleVote) {
        this.rejectStale(m);
        return;
      }
      if (staleAppend) this.acted('stale-term-append');
    }
    switch (m.type) {
      case 'prevote':
        return this.handlePreVote(m);
      case 'vote':
        return this.handleVote(m);
      case 'prevote-reply':
      case 'vote-reply':
        return this.handleVoteReply(m);
      case 'append':
        return this.handleAppend(m);
      case 'append-reply':
        return this.handleAppendReply(m);
      case 'snapshot':
        return this.handleSnapshot(m);
      case 'snapshot-reply':
        return this.handleSnapshotReply(m);
    }
  }

  /**
   * The host applied everything up to `index` and hands the state machine's
   * image at that point: drop the log up to it. Returns the snapshot to persist.
   */
  compact(index: number, data: unknown): Snapshot | undefined {
    const term = this.log.term(index);
    if (index <= this.log.snapshotIndex || index > this.applied || term === undefined) return undefined;
    this.log.compact({ index, term });
    this.snapshot = { meta: { index, term }, data };
    return this.snapshot;
  }

  // ---- outputs ------------------------------------------------------------

  hasReady(): boolean {
    return (
      this.hardStateDirty ||
      this.snapshotToInstall !== undefined ||
      this.rollbackTo !== undefined ||
      this.log.hasUnstable() ||
      this.outbox.length > 0 ||
      this.commit > this.applied ||
      this.readsReady.length > 0 ||
      this.readsFailed.length > 0 ||
      this.events.length > 0 ||
      this.readRoundNeeded
    );
  }

  /** Everything the host must do now; the core assumes it is all done once taken. */
  ready(): Ready {
    if (this.readRoundNeeded) {
      this.readRoundNeeded = false;
      this.broadcast(); // one quorum round serves every read that arrived since the last one
    }
    const snapshot = this.snapshotToInstall;
    const rollback = this.rollbackTo;
    this.snapshotToInstall = undefined;
    this.rollbackTo = undefined;
    const unstable = this.log.takeUnstable();
    const rd: Ready = {
      hardState: this.hardStateDirty ? { term: this.term, votedFor: this.votedFor } : undefined,
      snapshot,
      ...(rollback ? { rollback } : {}),
      entries: snapshot ? this.log.slice(this.log.snapshotIndex + 1) : unstable,
      messages: this.outbox,
      committed: this.log.slice(this.applied + 1, this.commit + 1),
      reads: this.readsReady,
      failedReads: this.readsFailed,
      events: this.events,
      mutantActs: this.mutantActs,
    };
    this.hardStateDirty = false;
    this.outbox = [];
    this.readsReady = [];
    this.readsFailed = [];
    this.events = [];
    this.mutantActs = [];
    this.applied = Math.max(this.applied, this.commit);
    return rd;
  }

  status(): RaftStatus {
    return {
      id: this.config.id,
      role: this.role,
      term: this.term,
      leader: this.leader,
      commitIndex: this.commit,
      appliedIndex: this.applied,
      lastIndex: this.log.lastIndex,
      lastTerm: this.log.lastTerm,
      votedFor: this.votedFor,
      snapshotIndex: this.log.snapshotIndex,
    };
  }

  /** Read-only view of the log (tests and diagnostics). */
  entries(from = 1): Entry[] {
    return this.log.slice(from);
  }

  // ---- roles --------------------------------------------------------------

  private becomeFollower(term: number, leader: NodeId | null): void {
    if (term > this.term + 1) this.note('term-jump', { to: term });
    if (term > this.term) {
      this.term = term;
      this.votedFor = null;
      this.hardStateDirty = true;
    }
    if (this.role === 'leader') {
      if (this.log.lastIndex > this.commit) this.note('leader-change-with-uncommitted', { commit: this.commit, lastIndex: this.log.lastIndex });
      if (this.pendingReads.length > 0) this.note('read-during-leader-change', { reads: this.pendingReads.length });
      this.failPendingReads(leader);
    }
    this.role = 'follower';
    this.leader = leader;
    this.progress.clear();
    this.resetElectionTimer();
  }

  private campaign(): void {
    if (this.preVote) this.startElection('precandidate');
    else this.startElection('candidate');
  }

  /** Ask for (pre-)votes. A pre-candidate asks for term + 1 without raising its own term. */
  private startElection(role: 'precandidate' | 'candidate'): void {
    if (role === 'candidate') {
      this.term += 1;
      this.votedFor = this.config.id;
      this.hardStateDirty = true;
    }
    this.role = role;
    this.leader = null;
    this.votes = new Map([[this.config.id, true]]);
    this.resetElectionTimer();
    const type = role === 'precandidate' ? 'prevote' : 'vote';
    const term = role === 'precandidate' ? this.term + 1 : this.term;
    for (const p of this.peers) {
      this.send({ type, from: this.config.id, to: p, term, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm });
    }
    this.tallyVotes();
  }

  private becomeLeader(): void {
    this.note('leader-elected', { lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm });
    this.role = 'leader';
    this.leader = this.config.id;
    this.progress = new Map(
      this.peers.map((p) => [p, { next: this.log.lastIndex + 1, match: 0, active: true, ackedRound: 0, snapshotUntil: 0 }]),
    );
    this.quorumCheckDue = this.elapsed + this.config.electionTimeout;
    this.leaseUntil = -Infinity;
    // A no-op of our own term: entries of earlier terms commit only beneath one of ours.
    this.log.append({ index: this.log.lastIndex + 1, term: this.term, command: null });
    this.broadcast();
    this.maybeCommit();
  }

  private tallyVotes(): void {
    let granted = 0;
    let rejected = 0;
    for (const v of this.votes.values()) v ? granted++ : rejected++;
    if (granted >= this.quorum) {
      if (granted < this.majority) this.acted('quorum-off-by-one');
      if (this.role === 'precandidate') this.startElection('candidate');
      else this.becomeLeader();
    } else if (rejected >= this.quorum) {
      if (rejected < this.majority) this.acted('quorum-off-by-one');
      this.becomeFollower(this.term, null);
    }
  }

  // ---- handlers -----------------------------------------------------------

  /** A message from an older term: tell its sender our term so a deposed leader steps down. */
  private rejectStale(m: Message): void {
    const base = { from: this.config.id, to: m.from, term: this.term };
    if (m.type === 'append') {
      this.send({ ...base, type: 'append-reply', success: false, matchIndex: 0, prevIndex: m.prevIndex, conflictTerm: null, conflictIndex: 0, round: m.round });
    } else if (m.type === 'snapshot') {
      this.send({ ...base, type: 'snapshot-reply', matchIndex: 0, round: m.round });
    } else if (m.type === 'prevote' || m.type === 'vote') {
      this.send({ ...base, type: m.type === 'prevote' ? 'prevote-reply' : 'vote-reply', granted: false });
    }
  }

  private handlePreVote(m: PreVoteRequest): void {
    // inLease() was checked in receive() for higher terms; an equal or lower term loses anyway.
    const upToDate = this.candidateUpToDate(m);
    const granted = m.term > this.term && upToDate;
    this.actedIfStaleGranted(m, granted);
    if (m.term > this.term && !upToDate) this.noteStaleCandidate(m);
    this.send({ type: 'prevote-reply', from: this.config.id, to: m.from, term: granted ? m.term : this.term, granted });
  }

  private handleVote(m: VoteRequest): void {
    // mutant double-vote: votedFor is not consulted, so a second candidate of this term gets a vote too.
    const unvoted = this.votedFor === null || this.mutants.has('double-vote');
    const free = this.votedFor === m.from || (unvoted && this.leader === null);
    const upToDate = this.candidateUpToDate(m);
    const granted = free && upToDate;
    this.actedIfStaleGranted(m, granted);
    if (granted && this.votedFor !== null && this.votedFor !== m.from) this.acted('double-vote');
    if (granted && this.forgottenVote?.term === this.term && this.forgottenVote.votedFor !== m.from) this.acted('vote-not-persisted');
    if (granted) {
      this.votedFor = m.from;
      this.hardStateDirty = true;
      this.resetElectionTimer();
      this.note('vote-granted', { candidate: m.from });
    }
    if (!upToDate) this.noteStaleCandidate(m);
    this.send({ type: 'vote-reply', from: this.config.id, to: m.from, term: this.term, granted });
  }

  private handleVoteReply(m: VoteReply): void {
    const pre = m.type === 'prevote-reply';
    if (pre ? this.role !== 'precandidate' : this.role !== 'candidate') return;
    const expected = pre ? this.term + 1 : this.term;
    // mutant votes-from-older-term-counted: a vote granted in an earlier term counts as one of this term.
    const olderCounted = !pre && this.mutants.has('votes-from-older-term-counted') && m.term < expected;
    if (m.granted && m.term !== expected && !olderCounted) return;
    if (m.granted && olderCounted) this.acted('votes-from-older-term-counted');
    this.votes.set(m.from, m.granted);
    this.tallyVotes();
  }

  private handleAppend(m: AppendRequest): void {
    this.followLeader(m.from);
    const reply = { type: 'append-reply' as const, from: this.config.id, to: m.from, term: this.term, prevIndex: m.prevIndex, round: m.round };
    // Entries up to our snapshot are committed, hence the leader's too: skip them.
    let { prevIndex, prevTerm, entries } = m;
    if (prevIndex < this.log.snapshotIndex) {
      entries = entries.filter((e) => e.index > this.log.snapshotIndex);
      prevIndex = this.log.snapshotIndex;
      prevTerm = this.log.snapshotTerm;
    }
    const ourTerm = this.log.term(prevIndex);
    // mutant append-skips-prev-check: any entry at prevLogIndex will do, whatever its term.
    const prevMatches = ourTerm === prevTerm || (this.mutants.has('append-skips-prev-check') && ourTerm !== undefined);
    if (prevMatches && ourTerm !== prevTerm) this.acted('append-skips-prev-check');
    if (!prevMatches) {
      const conflictIndex = ourTerm === undefined ? this.log.lastIndex + 1 : this.log.firstIndexOfTerm(ourTerm, prevIndex);
      this.send({ ...reply, success: false, matchIndex: 0, conflictTerm: ourTerm ?? null, conflictIndex });
      return;
    }
    // mutant append-truncates-suffix: the log is cut after prevLogIndex even when nothing conflicts,
    // so a delayed, shorter append (or heartbeat) drops entries this node already acknowledged.
    if (this.mutants.has('append-truncates-suffix')) {
      if (this.log.lastIndex > prevIndex + entries.length) this.acted('append-truncates-suffix');
      this.log.truncateAfter(prevIndex);
    }
    const lastBefore = this.log.lastIndex;
    const cut = this.log.merge(entries);
    if (cut !== undefined) this.noteTruncation(m, cut, lastBefore);
    const matchIndex = prevIndex + entries.length;
    // mutant follower-commit-beyond-match: bounded by our own last index instead of the last entry this
    // append confirmed, so a stale tail the leader never sent us commits.
    const commit = Math.min(m.commit, this.mutants.has('follower-commit-beyond-match') ? this.log.lastIndex : matchIndex);
    if (commit > Math.max(this.commit, Math.min(m.commit, matchIndex))) this.acted('follower-commit-beyond-match');
    if (commit > this.commit) this.commit = commit;
    this.send({ ...reply, success: true, matchIndex, conflictTerm: null, conflictIndex: 0 });
  }

  private handleAppendReply(m: AppendReply): void {
    const pr = this.acknowledge(m.from, m.round);
    if (!pr) return;
    if (m.success) {
      // mutant match-index-from-own-log: the follower is taken to hold everything this leader holds now.
      const match = this.mutants.has('match-index-from-own-log') ? this.log.lastIndex : m.matchIndex;
      if (match > Math.max(pr.match, m.matchIndex)) this.acted('match-index-from-own-log');
      pr.match = Math.max(pr.match, match);
      pr.next = Math.max(pr.next, pr.match + 1);
      this.maybeCommit();
      if (pr.next <= this.log.lastIndex) this.sendAppend(m.from, false);
    } else if (m.prevIndex >= pr.match) {
      // Fast back-off: skip the follower's whole conflicting term at once.
      let next = m.conflictIndex;
      if (m.conflictTerm !== null) {
        const last = this.log.lastIndexOfTerm(m.conflictTerm);
        if (last > 0) next = last + 1;
      }
      pr.next = Math.max(pr.match + 1, Math.min(next, m.prevIndex));
      this.sendAppend(m.from, true);
    }
    this.confirmReads();
  }

  private handleSnapshot(m: SnapshotRequest): void {
    this.followLeader(m.from);
    const { meta } = m.snapshot;
    const reply = { type: 'snapshot-reply' as const, from: this.config.id, to: m.from, term: this.term, round: m.round };
    // The bug skips the "is it old news?" check.
    const unsafe = this.bugs.has('unsafe-snapshot');
    if (meta.index <= this.commit && (!unsafe || meta.index < this.log.snapshotIndex)) {
      // Old news: our state is already past it. Installing it would roll the state machine back,
      // which is what the bug does; below our own compaction point the log cannot take it, so the
      // bug rolls back the state machine alone and keeps log, commit and applied index.
      if (unsafe) this.rollbackTo = m.snapshot;
      this.send({ ...reply, matchIndex: this.commit });
      return;
    }
    // mutant snapshot-drops-newer-entries: the whole log goes, even when it holds the snapshot's last entry.
    const keepsTail = this.log.term(meta.index) === meta.term && !this.mutants.has('snapshot-drops-newer-entries');
    if (!keepsTail && this.log.term(meta.index) === meta.term && this.log.lastIndex > meta.index) this.acted('snapshot-drops-newer-entries');
    if (keepsTail) this.log.compact(meta);
    else this.log.reset(meta);
    this.snapshot = m.snapshot;
    this.snapshotToInstall = m.snapshot;
    this.note('snapshot-installed', { index: meta.index, leader: m.from });
    if (unsafe) {
      // The bug: the state machine is restored to the snapshot, but the applied
      // index stays where it was, so entries between them are never re-applied.
      this.applied = Math.max(this.applied, meta.index);
      this.commit = Math.max(this.commit, meta.index);
    } else {
      this.applied = meta.index;
      this.commit = meta.index;
    }
    this.send({ ...reply, matchIndex: meta.index });
  }

  private handleSnapshotReply(m: SnapshotReply): void {
    const pr = this.acknowledge(m.from, m.round);
    if (!pr) return;
    pr.snapshotUntil = 0;
    pr.match = Math.max(pr.match, m.matchIndex);
    pr.next = Math.max(pr.next, pr.match + 1);
    this.maybeCommit();
    if (pr.next <= this.log.lastIndex) this.sendAppend(m.from, false);
    this.confirmReads();
  }

  // ---- replication --------------------------------------------------------

  private followLeader(leader: NodeId): void {
    if (this.role !== 'follower') this.becomeFollower(this.term, leader);
    this.leader = leader;
    this.leaderContact = this.elapsed;
    this.resetElectionTimer();
  }

  /** A reply of this term from a follower: it is alive and followed us at `round`. */
  private acknowledge(from: NodeId, round: number): Progress | undefined {
    if (this.role !== 'leader') return undefined;
    const pr = this.progress.get(from);
    if (!pr) return undefined;
    pr.active = true;
    pr.ackedRound = Math.max(pr.ackedRound, round);
    return pr;
  }

  /** A new round of appends (heartbeats, with entries when a follower lacks some). */
  private broadcast(): void {
    this.round += 1;
    this.roundSentAt.set(this.round, this.clock);
    this.roundSentAt.delete(this.round - 1_000); // bounded even when no quorum ever answers
    for (const r of this.pendingReads) r.round ??= this.round;
    this.heartbeatDue = this.elapsed + this.config.heartbeatInterval;
    for (const p of this.peers) this.sendAppend(p, true);
    this.confirmReads();
  }

  private sendAppend(to: NodeId, allowEmpty: boolean): void {
    const pr = this.progress.get(to)!;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const base = { from: this.config.id, to, term: this.term, round: this.round };
    if (prevTerm === undefined) {
      // The entries this follower needs were compacted: send the snapshot (one at a time).
      if (pr.snapshotUntil > this.elapsed || !this.snapshot) return;
      pr.snapshotUntil = this.elapsed + this.config.electionTimeout;
      this.send({ ...base, type: 'snapshot', snapshot: this.snapshot });
      return;
    }
    const entries = this.log.slice(pr.next, pr.next + this.config.maxEntriesPerAppend);
    if (entries.length === 0 && !allowEmpty) return;
    this.send({ ...base, type: 'append', prevIndex, prevTerm, entries, commit: this.commit });
    if (entries.length > 0) pr.next = entries[entries.length - 1].index + 1; // pipeline: do not wait for the ack
  }

  /** Commit the highest index a quorum holds, if it is of our term (earlier terms commit beneath it). */
  private maybeCommit(): void {
    const matches = this.config.members
      .map((m) => (m === this.config.id ? this.log.lastIndex : this.progress.get(m)!.match))
      .sort((a, b) => b - a);
    const n = matches[this.quorum - 1];
    if (n <= this.commit) return;
    if (this.log.term(n) !== this.term && !this.bugs.has('old-term-commit')) return;
    if (n > matches[this.majority - 1]) this.acted('quorum-off-by-one');
    // Terms never fall along the log: if the first newly committed entry is of our term, all are.
    if ((this.log.term(this.commit + 1) ?? this.term) < this.term) this.note('earlier-term-commit', { from: this.commit, to: n });
    this.commit = n;
    for (const r of this.pendingReads) {
      if (r.index === null && this.log.term(this.commit) === this.term) r.index = this.commit;
    }
    this.confirmReads();
  }

  // ---- reads --------------------------------------------------------------

  /** Release reads whose round a quorum acknowledged; extend the (buggy) lease. */
  private confirmReads(): void {
    if (this.role !== 'leader') return;
    const acked = this.config.members
      .map((m) => (m === this.config.id ? this.round : this.progress.get(m)!.ackedRound))
      .sort((a, b) => b - a);
    const quorumRound = acked[this.quorum - 1];
    if (quorumRound > acked[this.majority - 1] && this.pendingReads.some((r) => r.index !== null && r.round !== null && r.round <= quorumRound && r.round > acked[this.majority - 1])) {
      this.acted('quorum-off-by-one');
    }
    const sentAt = this.roundSentAt.get(quorumRound);
    if (sentAt !== undefined) this.leaseUntil = Math.max(this.leaseUntil, sentAt + this.config.electionTimeout);
    for (const round of this.roundSentAt.keys()) if (round < quorumRound) this.roundSentAt.delete(round);
    const waiting: PendingRead[] = [];
    for (const r of this.pendingReads) {
      if (r.index !== null && r.round !== null && r.round <= quorumRound) this.readsReady.push({ id: r.id, index: r.index });
      else waiting.push(r);
    }
    this.pendingReads = waiting;
  }

  private failPendingReads(leader: NodeId | null): void {
    for (const r of this.pendingReads) this.readsFailed.push({ id: r.id, leader });
    this.pendingReads = [];
    this.readRoundNeeded = false;
  }

  // ---- helpers ------------------------------------------------------------

  /** The election restriction (§5.4.1): a (pre-)vote only for a candidate whose log is at least as up to date as ours. */
  private candidateUpToDate(m: PreVoteRequest | VoteRequest): boolean {
    // mutant vote-ignores-log: the restriction is skipped.
    if (this.mutants.has('vote-ignores-log')) return true;
    return this.log.isUpToDate(m.lastLogIndex, m.lastLogTerm);
  }

  /** vote-ignores-log acts when it grants a (pre-)vote the election restriction refuses. */
  private actedIfStaleGranted(m: PreVoteRequest | VoteRequest, granted: boolean): void {
    if (granted && this.mutants.has('vote-ignores-log') && !this.log.isUpToDate(m.lastLogIndex, m.lastLogTerm)) this.acted('vote-ignores-log');
  }

  /** Check-quorum's lease: a leader we heard from recently (or we lead) makes votes for others moot. */
  private inLease(): boolean {
    if (!this.checkQuorum) return false;
    if (this.role === 'leader') return true;
    return this.leader !== null && this.elapsed - this.leaderContact < this.config.electionTimeout;
  }

  private resetElectionTimer(): void {
    const t = this.config.electionTimeout;
    this.electionDeadline = this.elapsed + t + Math.floor(this.config.random() * t);
  }

  /**
   * A planted bug (../mutants.ts) just made this node do what the rule would
   * not: noted once per mutant and term for the host's log, so a run shows
   * whether each bug ever acted (one that never acts cannot be caught).
   */
  private acted(name: MutantName): void {
    const key = `${name}@${this.term}`;
    if (this.actedKeys.has(key)) return;
    this.actedKeys.add(key);
    this.mutantsActed.add(name);
    this.mutantActs.push({ mutant: name, term: this.term });
  }

  private send(m: Message): void {
    this.outbox.push(m);
  }

  /** Record an interesting event for the host's log (events.ts). */
  private note(event: RaftEventName, details: Record<string, string | number | boolean | null> = {}): void {
    this.events.push({ event, term: this.term, ...details });
  }

  /** A (pre-)vote refused, whatever else refused it too, because the candidate's log is behind ours. */
  private noteStaleCandidate(m: PreVoteRequest | VoteRequest): void {
    this.note('vote-rejected-stale-log', { candidate: m.from, pre: m.type === 'prevote', lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm });
  }

  /**
   * We cut our log at `cut` for the leader's entries. When the entry that
   * replaced ours carries the leader's own term, it is the leader's first
   * entry (its no-op: a leader writes nothing else before it), so our log
   * was longer than the leader's, and at least as new, when it won.
   */
  private noteTruncation(m: AppendRequest, cut: number, lastBefore: number): void {
    this.note('log-truncated', { index: cut, removed: lastBefore - cut + 1, leader: m.from, commit: this.commit });
    if (this.log.term(cut) === m.term) this.note('elected-with-stale-log', { index: cut, leader: m.from });
  }
}
