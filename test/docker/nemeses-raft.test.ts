// Real Docker: the Raft-aware faults (nemeses/raft-*.ts) on live 5-node
// raftkv and etcd clusters under a stream of writes. Each fault must reach
// the state it aims for, seen both in its own evidence and in our own reads
// of the cluster (a winner whose log was behind, a leader cut off that can
// no longer commit, a voter killed, two leaders at once, a stale quorum
// electing), and its stop must heal everything: no rule of ours left, every
// pair of nodes connecting, every node answering, one leader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { startCluster, type RunningCluster } from '../../clusters/start.ts';
import { makeRunId } from '../../clusters/run-id.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { put } from '../../clusters/etcd/api.ts';
import { clusterInfo, type DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import type { DB } from '../../clusters/db.ts';
import { probeReachability, portOfUrl } from '../../clusters/docker/reachability.ts';
import type { Completion, FaultValue } from '../../history/op.ts';
import { FaultNemesis, RAFT_KINDS, resolveNemeses, type FaultSpec } from '../../nemeses/index.ts';
import { raftkvSystem } from '../../harness/systems/raftkv.ts';
import { runTest } from '../../harness/run/index.ts';
import type { DockerDbCluster } from '../../clusters/docker-db-cluster.ts';
import { ourRules } from '../../nemeses/iptables.ts';
import { compareLogs, type LogPosition } from '../../nemeses/raft-state.ts';
import { leftovers, waitFor } from '../support/docker.ts';

beforeAll(async () => {
  await ensureEnvironment();
});

/** A cluster of 5 and a nemesis that may play every Raft-aware kind on it. */
class Bench {
  running?: RunningCluster;
  info!: DockerClusterInfo;
  readonly nemesis = new FaultNemesis(resolveNemeses(['raft']));
  private writing = false;
  private writers: Promise<void>[] = [];
  private opIndex = 0;

  constructor(private readonly db: DB, private readonly write: (bench: Bench, url: string, key: string) => Promise<void>) {}

  async start(): Promise<void> {
    const runId = makeRunId();
    this.running = await startCluster({ db: this.db, nodeCount: 5, runId, runDir: join(mkdtempSync(join(tmpdir(), 'faultline-')), runId) });
    const docker = this.running.cluster;
    const nodes = docker.nodes.map((n) => n.name);
    this.info = clusterInfo(docker, this.db);
    await this.nemesis.setup(this.info);
    // Clients write through every node all along: the faults need entries to be appended.
    this.writing = true;
    this.writers = nodes.map((n, w) => this.writeLoop(n, w));
  }

  private async writeLoop(node: string, w: number): Promise<void> {
    // About 40 writes a second each: a steady stream, without starving the status requests on two cores.
    for (let i = 0; this.writing; i++) {
      await this.write(this, this.info.urls[node], `k${w}-${i % 20}`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stopAll(): Promise<void> {
    this.writing = false;
    await Promise.all(this.writers);
    const r = this.running;
    this.running = undefined;
    if (!r) return;
    await r.teardown();
    expect(await leftovers(r.cluster.runId)).toEqual({ containers: 0, networks: 0 });
  }

  invoke(f: string, value: FaultSpec | null): Promise<Completion> {
    return this.nemesis.invoke({ index: this.opIndex++, time: 0, process: 'nemesis', type: 'invoke', f, value }, this.info);
  }

  /** start-<kind>: ok, took effect; its value (with the evidence's measurements). */
  async startFault(kind: string, variant = 'scripted', effects: string[] = ['took-effect']): Promise<FaultValue & { evidence: Record<string, unknown> }> {
    const c = await this.invoke(`start-${kind}`, { variant, seed: 7 });
    const v = c.value as FaultValue & { evidence: Record<string, unknown> };
    expect(c.type, c.error).toBe('ok');
    expect(effects, v.evidence?.summary as string).toContain(v.effect);
    return v;
  }

  statuses() {
    return this.db.status(this.info.cluster);
  }

  /**
   * start-<kind> up to `tries` times until its evidence `shows` what the test waits for (a window that
   * opens by chance); a try that does not is healed, the one that does stays on. `missed`: their summaries.
   * `effects`: the outcomes a try may have (a script that found no window in time says unverified).
   */
  async startUntil<T>(kind: string, variant: string, tries: number, shows: (m: T) => boolean, effects?: string[]): Promise<{ seen?: T; missed: string[] }> {
    const missed: string[] = [];
    for (let i = 0; i < tries; i++) {
      const v = await this.startFault(kind, variant, effects);
      const m = v.evidence as unknown as T;
      if (shows(m)) return { seen: m, missed };
      missed.push(v.evidence.summary as string);
      await this.expectHealedBy(kind);
    }
    return { missed };
  }

  /** stop-<kind> took effect, and our own look agrees: no rule left, every pair connects, every node answers, one leader. */
  async expectHealedBy(kind: string): Promise<void> {
    const c = await this.invoke(`stop-${kind}`, null);
    const v = c.value as FaultValue;
    expect(c.type, c.error).toBe('ok');
    expect(v.effect, v.evidence?.summary).toBe('took-effect');
    const rules = await Promise.all(this.info.nodes.map((n) => this.info.cluster.run(n, ['/bin/sh', '-c', 'iptables -S'])));
    expect(rules.flatMap(ourRules)).toEqual([]);
    const probe = await probeReachability(this.info.cluster, (n) => portOfUrl(this.info.urls[n]));
    for (const from of this.info.nodes) for (const to of this.info.nodes) if (from !== to) expect(probe.reach[from][to], `${from}->${to}`).toBe('open');
    expect((await this.statuses()).filter((s) => !s.up).map((s) => s.node)).toEqual([]);
    await this.db.waitHealthy(this.info.cluster, 20_000);
  }
}

const pos = (j: unknown): LogPosition => {
  const { index, term } = j as { index: number; term: number | null };
  return term === null ? { index } : { index, term };
};

/** A write through `url`, following a not-leader answer to the leader it names. */
async function raftkvPut(bench: Bench, url: string, key: string): Promise<void> {
  for (let hop = 0; hop < 2; hop++) {
    const res = await fetch(`${url}/kv/put`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, value: Date.now(), timeoutMs: 400 }),
      signal: AbortSignal.timeout(600),
    });
    const answer = (await res.json()) as { ok: boolean; error?: string; leader?: string };
    if (answer.ok || answer.error !== 'not-leader' || !answer.leader) return;
    url = url.replace(/\/\/[^:/]+/, `//${bench.info.cluster.node(answer.leader).ip}`);
  }
}

describe('Raft-aware faults on raftkv (5 nodes)', () => {
  const bench = new Bench(raftkvDb(), raftkvPut);
  beforeAll(() => bench.start(), 120_000);
  afterAll(() => bench.stopAll(), 60_000);

  it('lagging-leader: a member whose log was behind the isolated follower\'s wins; stop heals', async () => {
    // Up to 3 tries: the rest may elect before a write puts the isolated follower ahead (seen once, in the first
    // test after the cluster started), and the script then says unverified.
    const { seen, missed } = await bench.startUntil<Record<string, unknown>>('lagging-leader', 'scripted', 3, (e) => e.winnerBehind === true, ['took-effect', 'unverified']);
    expect(seen, missed.join('\n')).toBeDefined();
    const m = seen!;
    expect(m.winnerBehind).toBe(true);
    expect([m.leader, m.isolated]).not.toContain(m.newLeader);
    expect(compareLogs(pos(m.newLeaderLogAtElection), pos(m.isolatedLog))).toBeLessThan(0);
    // Our own look: the new leader leads a newer term; the isolated follower still holds the longer log (nobody reaches it).
    const now = await bench.statuses();
    const isolated = now.find((s) => s.node === m.isolated)!;
    expect(isolated.lastLogIndex).toBeGreaterThanOrEqual(pos(m.isolatedLog).index);
    expect(now.find((s) => s.node === m.leader)?.up).toBe(false);
    await bench.expectHealedBy('lagging-leader');
  });

  it('lagging-leader-stragglers: two members miss committed entries, the leader dies; only the member holding them can win; stop heals', async () => {
    try {
      const v = await bench.startFault('lagging-leader', 'stragglers');
      const m = v.evidence as unknown as { leader: string; stragglers: string[]; holder: string; isolated: string; committedAtKill: number; logsAtKill: Record<string, { index: number }>; newLeader: string; winnerBehind: boolean };
      // The window was made: both stragglers' logs ended before the commit index at the kill.
      for (const s of m.stragglers) expect(m.logsAtKill[s].index).toBeLessThan(m.committedAtKill);
      // A correct Raft: the vote rule leaves only the holder of every committed entry electable.
      expect({ winnerBehind: m.winnerBehind, newLeader: m.newLeader }, `${v.evidence.summary}\n${JSON.stringify(m)}`).toEqual({ winnerBehind: false, newLeader: m.holder });
    } finally {
      await bench.expectHealedBy('lagging-leader');
    }
  });

  it('lagging-leader-stale-commit: as stragglers, with the leader\'s sends held back: the member left to win does not know the commit index yet; stop clears the delay', async () => {
    try {
      const v = await bench.startFault('lagging-leader', 'stale-commit');
      const m = v.evidence as unknown as {
        holder: string; newLeader: string; committedAtKill: number; holderCommitAtKill: number; staleWinner: boolean; winnerBehind: boolean; staleCommitWindowMs: number | null;
      };
      expect(m.holderCommitAtKill, v.evidence.summary as string).toBeLessThan(m.committedAtKill);
      expect({ newLeader: m.newLeader, staleWinner: m.staleWinner, winnerBehind: m.winnerBehind }).toEqual({ newLeader: m.holder, staleWinner: true, winnerBehind: false });
      // Step 4 watched the winner learn the commit index (null: not within its watch), its own sends held back meanwhile.
      expect(m.staleCommitWindowMs === null || m.staleCommitWindowMs >= 0, v.evidence.summary as string).toBe(true);
      expect((await bench.info.db.nodeReport!(bench.info.cluster, m.holder)).peerDelay).toEqual({ probability: 1, maxMs: 400 });
    } finally {
      await bench.expectHealedBy('lagging-leader');
    }
    // Our own look: no node holds its messages back any more.
    for (const n of bench.info.nodes) expect((await bench.info.db.nodeReport!(bench.info.cluster, n)).peerDelay ?? null, n).toBeNull();
  });

  it('deposed-leader: the old leader, paused while the rest elect, wakes reaching all but its successor and steps down at the first replies; stop heals', async () => {
    const v = await bench.startFault('deposed-leader');
    const m = v.evidence as unknown as { oldLeader: string; oldTerm: number; newLeader: string; newTerm: number; oldLeaderStillLeads: boolean; rounds: number; closedUnopened: number };
    expect(m.newTerm).toBeGreaterThan(m.oldTerm);
    // Played again only after a round whose old leader stepped down in its own term (its quorum check first).
    expect(m.rounds).toBeGreaterThanOrEqual(1);
    expect(m.closedUnopened).toBeGreaterThanOrEqual(m.rounds - 1);
    expect(m.newLeader).not.toBe(m.oldLeader);
    // A correct Raft heeds the term in the refusals of its appends.
    expect(m.oldLeaderStillLeads, v.evidence.summary as string).toBe(false);
    // Our own look: the old leader runs, no longer leads, and knows a newer term; only the link between the two is cut.
    const old = (await bench.statuses()).find((s) => s.node === m.oldLeader)!;
    expect({ up: old.up, leader: old.leader }).toEqual({ up: true, leader: false });
    expect(old.term).toBeGreaterThan(m.oldTerm);
    const probe = await probeReachability(bench.info.cluster, (n) => portOfUrl(bench.info.urls[n]));
    for (const other of bench.info.nodes.filter((n) => n !== m.oldLeader && n !== m.newLeader)) expect(probe.reach[m.oldLeader][other], other).toBe('open');
    expect(probe.reach[m.oldLeader][m.newLeader]).not.toBe('open');
    await bench.expectHealedBy('deposed-leader');
  });

  it('election-storm: the frozen followers wake at once; a newer term gets a leader; rival candidates when seen; stop heals', async () => {
    try {
      // Whether two timers fire within one vote round trip is still luck (three attempts): with no rivals seen the storm
      // says unverified, never took-effect.
      const v = await bench.startFault('election-storm', 'scripted', ['took-effect', 'unverified']);
      const m = v.evidence as unknown as {
        oldLeader: string; oldTerm: number; candidates: Record<string, string[]>; newLeader: string | null; newTerm: number | null;
        wokenTogether: string[]; wokenApart: string[]; attempts: number;
      };
      expect(Object.values(m.candidates).some((c) => c.length >= 2)).toBe(v.effect === 'took-effect');
      // Every follower woke on the one loop of FIFO writes, none by an exec of its own.
      expect(m.wokenTogether.length).toBe(bench.info.nodes.length - 1);
      expect(m.wokenApart).toEqual([]);
      expect(m.attempts).toBeGreaterThanOrEqual(1);
      if (m.newLeader !== null) {
        expect(m.newTerm).toBeGreaterThan(m.oldTerm);
        expect(m.newLeader).not.toBe(m.oldLeader);
      }
    } finally {
      await bench.expectHealedBy('election-storm');
    }
  });

  it('uncommitted-cut: the leader is cut off holding entries it never commits; stop heals', async () => {
    const v = await bench.startFault('uncommitted-cut');
    const m = v.evidence as unknown as { leader: string; atTrigger: { lastLogIndex: number }; commitIndex: number; term: number };
    // Appended before the cut, still not committed once cut off.
    expect(m.atTrigger.lastLogIndex).toBeGreaterThan(m.commitIndex);
    // Our own look, later: cut off, it still has not committed its tail, while the others elected in a newer term.
    const others = await waitFor('a leader among the others', async () => {
      const all = await bench.statuses();
      return all.find((s) => s.node !== m.leader && s.leader && (s.term ?? 0) > m.term) ? all : undefined;
    }, 10_000);
    const cut = others.find((s) => s.node === m.leader)!;
    expect(cut.commitIndex).toBeLessThan(m.atTrigger.lastLogIndex);
    await bench.expectHealedBy('uncommitted-cut');
  });

  it.each(['down', 'reboot', 'late-votes'])('crash-after-vote-%s: a member that just voted in the new term is killed; stop restarts it', async (variant) => {
    const v = await bench.startFault('crash-after-vote', variant);
    const m = v.evidence as unknown as { oldLeader: string; oldTerm: number; voter: string; votedFor: string; voteTerm: number; sendsHeld?: boolean; voterSendsHeldAgain?: boolean; votedAgainFor?: string | null };
    expect(m.voteTerm).toBeGreaterThan(m.oldTerm);
    expect(m.votedFor).not.toBe(m.voter);
    expect(await bench.info.cluster.isRunning(m.oldLeader, 'raftkv')).toBe(false);
    expect(await bench.info.cluster.isRunning(m.voter, 'raftkv')).toBe(variant !== 'down');
    if (variant === 'late-votes') {
      // A correct Raft restores its vote: the held requests of that term are refused.
      expect(m.sendsHeld).toBe(true);
      // Its own campaign held too, so it stays in its vote's term while those requests arrive.
      expect(m.voterSendsHeldAgain).toBe(true);
      expect(m.votedAgainFor, v.evidence.summary as string).toBeNull();
      // The holds end with the watch for a second vote, the voter's included.
      for (const n of bench.info.nodes.filter((x) => x !== m.oldLeader)) expect((await bench.info.db.nodeReport!(bench.info.cluster, n)).peerDelay ?? null, n).toBeNull();
    }
    await bench.expectHealedBy('crash-after-vote');
  });

  it('two-leaders: the old leader, cut off with a minority, still leads while the majority\'s new leader does; stop heals', async () => {
    const v = await bench.startFault('two-leaders');
    const m = v.evidence as unknown as { oldLeader: string; oldTerm: number; newLeader: string; newTerm: number; minority: string[] };
    expect(m.newTerm).toBeGreaterThan(m.oldTerm);
    expect(m.minority).toContain(m.oldLeader);
    expect(m.minority).not.toContain(m.newLeader);
    expect(m.minority).toHaveLength(2);
    await bench.expectHealedBy('two-leaders');
  });

  it('stale-restart: the freshest majority is killed and restarted laggards first; a stale quorum elects while fresher logs are down', async () => {
    const v = await bench.startFault('stale-restart');
    const m = v.evidence as unknown as { leaderAtStart: string; killed: string[]; survivors: string[]; restartOrder: string[]; staleLeader: string; fresherDown: string[]; lagMs: number | null };
    expect(m.killed).toHaveLength(3);
    // The leader dies (else it simply stays leader), and under write load the survivors were made to lag first.
    expect(m.killed).toContain(m.leaderAtStart);
    expect(m.lagMs, v.evidence.summary as string).not.toBeNull();
    expect(m.fresherDown.length).toBeGreaterThan(0);
    expect(m.fresherDown).not.toContain(m.staleLeader);
    // Everyone is back by the end of the script.
    expect((await bench.statuses()).filter((s) => !s.up)).toEqual([]);
    await bench.expectHealedBy('stale-restart');
  });
});

describe('deposed-leader against a leader that ignores the term in replies (mutant leader-ignores-higher-term)', () => {
  // The fault must tell the two apart: the same script, a Raft that breaks the rule, and the old leader goes on leading.
  const bench = new Bench(raftkvDb({ mutants: ['leader-ignores-higher-term'] }), raftkvPut);
  beforeAll(() => bench.start(), 120_000);
  afterAll(() => bench.stopAll(), 60_000);

  it('the old leader still leads its old term beside the new leader when the watch ends', async () => {
    // On resume its first tick sees the whole pause elapsed, so its own quorum check may fall due before
    // any reply arrives and step it down (a correct move, and a race the mutant does not change: seen in
    // CI, "stepped down within 96 ms"). The script plays such a round again (up to 3 rounds), and the
    // test gives it up to three tries; the rule break must show in one of them.
    type Measured = { oldLeader: string; oldTerm: number; newLeader: string; newTerm: number; oldLeaderStillLeads: boolean };
    const { seen, missed } = await bench.startUntil<Measured>('deposed-leader', 'scripted', 3, (m) => m.oldLeaderStillLeads);
    expect(seen, missed.join('\n')).toBeDefined();
    const { oldLeader, oldTerm, newLeader, newTerm } = seen!;
    const now = await bench.statuses();
    expect(now.find((s) => s.node === oldLeader)).toMatchObject({ up: true, leader: true, term: oldTerm });
    expect(now.find((s) => s.node === newLeader)).toMatchObject({ up: true, leader: true, term: newTerm });
    await bench.expectHealedBy('deposed-leader');
  });
});

describe('crash-after-vote-late-votes against a member that forgets its vote on restart (mutant vote-not-persisted)', () => {
  // The same script on a Raft whose vote is not durable: a request of the vote's term, held until after
  // the restart, gets a second vote. Whether another candidate campaigned in that term is chance (by hand,
  // 8-s runs with the voter's sends held again after its restart: a rival in 6 of 8 plays, and each of
  // those 6 voted again), hence up to eight tries (a few seconds each).
  const bench = new Bench(raftkvDb({ mutants: ['vote-not-persisted'] }), raftkvPut);
  beforeAll(() => bench.start(), 120_000);
  afterAll(() => bench.stopAll(), 60_000);

  it('the restarted voter votes again in the term it had voted in', async () => {
    type Measured = { voter: string; votedFor: string; voteTerm: number; votedAgainFor: string | null };
    const { seen, missed } = await bench.startUntil<Measured>('crash-after-vote', 'late-votes', 8, (m) => m.votedAgainFor !== null);
    expect(seen, missed.join('\n')).toBeDefined();
    expect(seen!.votedAgainFor).not.toBe(seen!.votedFor);
    await bench.expectHealedBy('crash-after-vote');
  });
});

describe('Raft-aware faults on etcd (5 nodes)', () => {
  // Short raft timeouts: elections after a fault take a fraction of a second.
  const bench = new Bench(etcdDb({ heartbeatMs: 50, electionMs: 500 }), (_b, url, key) => put(url, key, String(Date.now()), 600).then(() => undefined));
  beforeAll(() => bench.start(), 120_000);
  afterAll(() => bench.stopAll(), 60_000);

  // etcd reports no last log term, and a follower's last index only as its leader sees it (clusters/etcd/raft-status.ts):
  // enough for every kind.
  it('every Raft-aware kind reaches its state on etcd, and each stop heals', async () => {
    // As for stale-restart below: under CI load the members left may not elect within the step budget
    // (ci-local: "no leader among n1 n3 n4 within 5015 ms"); the fault then says unverified and must still heal.
    const lagging = await bench.startFault('lagging-leader', 'scripted', ['took-effect', 'unverified']);
    if (lagging.effect === 'took-effect') expect(lagging.evidence.winnerBehind).toBe(true);
    await bench.expectHealedBy('lagging-leader');

    const cut = (await bench.startFault('uncommitted-cut')).evidence as unknown as { atTrigger: { lastLogIndex: number }; commitIndex: number };
    expect(cut.atTrigger.lastLogIndex).toBeGreaterThan(cut.commitIndex);
    await bench.expectHealedBy('uncommitted-cut');

    const vote = (await bench.startFault('crash-after-vote', 'down')).evidence as unknown as { voter: string; votedFor: string; voteTerm: number; oldTerm: number };
    expect(vote.voteTerm).toBeGreaterThan(vote.oldTerm);
    expect(await bench.info.cluster.isRunning(vote.voter, 'etcd')).toBe(false);
    await bench.expectHealedBy('crash-after-vote');

    const two = (await bench.startFault('two-leaders')).evidence as unknown as { oldTerm: number; newTerm: number };
    expect(two.newTerm).toBeGreaterThan(two.oldTerm);
    await bench.expectHealedBy('two-leaders');

    // On etcd a restarted member may take longer than the fault's 5 s step budget to elect under CI load
    // (ci-local: "n3 back, no leader within 5022 ms"); then the fault says unverified, honestly, and must still heal.
    // etcd heeds the term in heartbeat responses too (raft.go Step: a higher-term message makes it a follower).
    const deposed = (await bench.startFault('deposed-leader', 'scripted', ['took-effect', 'unverified'])).evidence as unknown as { oldTerm: number; newTerm: number; oldLeaderStillLeads?: boolean };
    if (deposed.newTerm !== undefined) expect(deposed.newTerm).toBeGreaterThan(deposed.oldTerm);
    if (deposed.oldLeaderStillLeads !== undefined) expect(deposed.oldLeaderStillLeads).toBe(false);
    await bench.expectHealedBy('deposed-leader');

    const stale = await bench.startFault('stale-restart', 'scripted', ['took-effect', 'unverified']);
    if (stale.effect === 'took-effect') expect((stale.evidence as unknown as { fresherDown: string[] }).fresherDown.length).toBeGreaterThan(0);
    await bench.expectHealedBy('stale-restart');
  });
});

describe('Raft-aware faults in an ordinary run', () => {
  it('--nemesis raft on raftkv: the random schedule starts and stops them like any fault; a correct raftkv stays valid', async () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const test = raftkvSystem.test(
      { workload: 'register', nemesis: 'raft', timeLimit: 30, opTimeout: 1500, nemesisInterval: '1s', concurrency: 10, rate: 100 },
      nodes,
      5,
    );
    const runId = (test.db as DockerDbCluster).runId;
    try {
      const out = await runTest(test, { store: mkdtempSync(join(tmpdir(), 'faultline-store-')), opTimeoutMs: 1500, status: 'off', handleSignals: false });
      const starts = out.history.filter((o) => o.process === 'nemesis' && o.type !== 'invoke' && o.f.startsWith('start-'));
      const stops = out.history.filter((o) => o.process === 'nemesis' && o.type !== 'invoke' && o.f.startsWith('stop-'));
      expect(starts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(starts.map((o) => o.f.slice('start-'.length))).size).toBeGreaterThanOrEqual(2);
      for (const o of starts) expect(RAFT_KINDS as readonly string[]).toContain(o.f.slice('start-'.length));
      // Scripted faults reach their state or say honestly they did not (a race lost is unverified, never no-effect); every stop heals.
      expect(starts.filter((o) => (o.value as FaultValue).effect === 'took-effect').length).toBeGreaterThanOrEqual(2);
      for (const o of starts) expect((o.value as FaultValue).effect, (o.value as FaultValue).evidence?.summary).not.toBe('no-effect');
      for (const o of stops) expect((o.value as FaultValue).effect, (o.value as FaultValue).evidence?.summary).toBe('took-effect');
      // No false positive on a correct raftkv: every checker valid, but the faults one, unknown if a kind never took effect.
      const verdicts = out.results.checkers.map((c) => [c.checker, c.checker === 'faults' && c.valid === 'unknown' ? true : c.valid, c.summary]);
      expect(verdicts).toEqual(out.results.checkers.map((c) => [c.checker, true, c.summary]));
    } finally {
      expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
    }
  });
});
