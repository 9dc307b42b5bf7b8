import { describe, expect, it } from 'vitest';
import { seconds, simulate, timeLimit } from '../../generator/index.ts';
import { UserError } from '../../history/errors.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import type { DockerClusterInfo } from '../../clusters/docker-db-cluster.ts';
import { FaultNemesis, faultSchedule, NEMESIS_NAMES, nemesisPlan, parseNemesisOption, resolveNemeses, parseSeconds, type FaultSpec, type ScheduleOptions } from '../../nemeses/index.ts';

const run = (names: string[], seed: number, opts: ScheduleOptions = { intervalS: 10 }, horizonS = 200) =>
  simulate(timeLimit(seconds(horizonS), faultSchedule(resolveNemeses(names), opts)), {
    workers: ['nemesis'],
    seed,
    // A fault op takes a few hundred ms (an exec per node).
    duration: 300e6,
  });

describe('fault schedule', () => {
  it('reproduces from its seed, differs across seeds', () => {
    const names = ['partition', 'kill', 'pause', 'clock', 'loss'];
    const a = run(names, 7);
    expect(run(names, 7)).toEqual(a);
    expect(run(names, 8)).not.toEqual(a);
  });

  it('alternates start-X and stop-X of the same kind, with a quiet period before each fault', () => {
    const ops = run(['partition', 'kill', 'pause', 'clock', 'loss'], 3, { intervalS: 10 });
    expect(ops.length).toBeGreaterThanOrEqual(10);
    const kinds = new Set<string>();
    ops.forEach((op, i) => {
      const [verb, kind] = op.f.split(/-(.*)/);
      expect(verb).toBe(i % 2 === 0 ? 'start' : 'stop');
      if (verb === 'stop') expect(kind).toBe(ops[i - 1].f.slice('start-'.length));
      else kinds.add(kind);
      // The gap before every op: the quiet period before a start, the fault's length before its stop.
      const previousEnd = i === 0 ? 0 : ops[i - 1].end;
      expect(op.start - previousEnd).toBe(seconds(10));
    });
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });

  it('fault length can differ from the quiet period', () => {
    const ops = run(['kill'], 1, { intervalS: 5, faultS: 2 });
    expect(ops[0].start).toBe(seconds(5));
    expect(ops[1].start - ops[0].end).toBe(seconds(2));
    expect(ops[2].start - ops[1].end).toBe(seconds(5));
  });

  it('draws variants and magnitudes into the start op: seed, shape, loss probability, clock delta, delay', () => {
    const ops = run(['partition-ring', 'loss', 'clock-bump', 'delay-leader'], 11, { intervalS: 1, delayMaxMs: 700 }, 80);
    const starts = ops.filter((o) => o.f.startsWith('start-'));
    for (const o of starts) {
      const v = o.value as FaultSpec;
      expect(Number.isInteger(v.seed)).toBe(true);
      if (o.f === 'start-partition') expect(v.variant).toBe('ring');
      if (o.f === 'start-loss') expect(v.probability).toBe(0.3);
      if (o.f === 'start-clock') expect(Math.abs(v.deltaMs!)).toBeGreaterThanOrEqual(100);
      if (o.f === 'start-delay') expect(v).toMatchObject({ variant: 'leader', probability: 0.5, maxDelayMs: 700 });
    }
    expect(new Set(starts.map((o) => o.f))).toEqual(new Set(['start-partition', 'start-loss', 'start-clock', 'start-delay']));
  });
});

describe('nemesis names', () => {
  it('kinds expand to their variants; kind-variant picks one', () => {
    expect(resolveNemeses(['kill-leader'])).toEqual([{ kind: 'kill', variant: 'leader' }]);
    expect(resolveNemeses(['partition']).map((c) => c.variant)).toEqual(['halves', 'one', 'leader', 'ring', 'bridge', 'one-way']);
    expect(resolveNemeses(['pause', 'pause-leader'])).toHaveLength(5);
    expect(NEMESIS_NAMES).toContain('partition-one-way');
    expect(parseNemesisOption('partition, kill')).toEqual(['partition', 'kill']);
    expect(parseNemesisOption('none')).toEqual([]);
    expect([parseSeconds('10s'), parseSeconds('500ms'), parseSeconds('2m'), parseSeconds(3), parseSeconds('1.5')]).toEqual([10, 0.5, 120, 3, 1.5]);
    expect(() => parseSeconds('soon')).toThrow(UserError);
    expect(() => parseSeconds('0s')).toThrow(/positive duration/);
  });

  it('unknown names and bad magnitudes are UserErrors that name them', () => {
    expect(() => nemesisPlan(['partition', 'flood'], { intervalS: 10 })).toThrow(UserError);
    expect(() => nemesisPlan(['partition', 'flood'], { intervalS: 10 })).toThrow(/"flood"/);
    expect(() => nemesisPlan(['delay'], { intervalS: 1, delayProbability: 0 })).toThrow(/delay probability/);
    expect(() => nemesisPlan(['delay'], { intervalS: 1, delayMaxMs: -5 })).toThrow(/longest message delay/);
    expect(() => nemesisPlan(['kill'], { intervalS: 0 })).toThrow(/nemesis-interval/);
    expect(() => nemesisPlan(['loss'], { intervalS: 1, lossProbability: 2 })).toThrow(/probability/);
  });

  it('clock faults and message delay on etcd stop before anything starts', () => {
    const etcd = etcdDb();
    expect(() => nemesisPlan(['partition', 'clock'], { intervalS: 10, db: etcd })).toThrow(/clock faults unsupported for etcd/);
    // No netem here, and etcd has no delay of its own: refused, not faked.
    expect(() => nemesisPlan(['delay-leader'], { intervalS: 10, db: etcd })).toThrow(/message delay unsupported for etcd.*tc netem/);
    expect(() => nemesisPlan(['delay'], { intervalS: 10, db: raftkvDb() })).not.toThrow();
    // The scripted figure 8 needs a crash before a leader's first send and a way to slow a leader's sends:
    // raftkv's crash point and delay; etcd's failpoint build, raftBeforeLeaderSend with panic and sleep.
    expect(() => nemesisPlan(['figure8'], { intervalS: 10, db: etcd })).toThrow(/figure8 unsupported for etcd: it has no raftBeforeLeaderSend failpoint/);
    expect(() => nemesisPlan(['figure8'], { intervalS: 10, db: etcdDb({ gofail: true }) })).not.toThrow();
    expect(() => nemesisPlan(['figure8'], { intervalS: 10, db: { ...raftkvDb(), armFailpoint: undefined } })).toThrow(/no raftBeforeLeaderSend failpoint/);
    expect(() => nemesisPlan(['figure8'], { intervalS: 10, db: { ...raftkvDb(), delayPeerMessages: undefined } })).toThrow(/can hold back no leader's messages \(no delay fault, no sleep at raftBeforeLeaderSend\)/);
    expect(() => nemesisPlan(['figure8'], { intervalS: 10, db: raftkvDb() })).not.toThrow();
    expect(() => nemesisPlan(['partition', 'kill'], { intervalS: 10, db: etcd })).not.toThrow();
    expect(() => nemesisPlan(['clock-skew'], { intervalS: 10, db: { name: 'raftkv', supportsClockFaults: true } })).not.toThrow();
  });

  it('setup refuses, before any fault, what the live cluster cannot take', async () => {
    // Only the checks that come before any exec are reached: no containers needed.
    const info = (nodes: string[]) => ({ nodes, db: etcdDb() }) as unknown as DockerClusterInfo;
    await expect(new FaultNemesis(resolveNemeses(['clock'])).setup(info(['n1', 'n2', 'n3']))).rejects.toThrow(/clock faults unsupported for etcd/);
    await expect(new FaultNemesis(resolveNemeses(['delay-all'])).setup(info(['n1', 'n2', 'n3']))).rejects.toThrow(/message delay unsupported/);
    const raftkvInfo = (nodes: string[]) => ({ nodes, db: raftkvDb() }) as unknown as DockerClusterInfo;
    await expect(new FaultNemesis(resolveNemeses(['figure8'])).setup(raftkvInfo(['n1', 'n2', 'n3']))).rejects.toThrow(/needs --nodes 5, the cluster has 3/);
    await expect(new FaultNemesis(resolveNemeses(['partition-ring', 'partition-bridge'])).setup(info(['n1', 'n2']))).rejects.toThrow(/at least 3 nodes/);
  });
});

describe('overlapping fault schedule (--nemesis-overlap)', () => {
  /** Intervals [start op end, stop op start] per fault, by kind. */
  const windows = (ops: ReturnType<typeof run>) => {
    const open = new Map<string, number>();
    const out: Array<{ kind: string; from: number; to: number }> = [];
    for (const op of ops) {
      const [verb, kind] = op.f.split(/-(.*)/);
      if (verb === 'start') {
        expect(open.has(kind)).toBe(false); // one fault of a kind at a time, even overlapping
        open.set(kind, op.end);
      } else {
        expect(open.has(kind)).toBe(true); // every stop closes its own kind's start
        out.push({ kind, from: open.get(kind)!, to: op.start });
        open.delete(kind);
      }
    }
    return out;
  };

  it('runs each kind on its own timeline, so faults of different kinds are on at once', () => {
    const opts = { intervalS: 2, overlap: true };
    const ops = run(['clock-bump', 'partition-leader'], 5, opts, 60);
    const w = windows(ops);
    const clock = w.filter((x) => x.kind === 'clock');
    const partition = w.filter((x) => x.kind === 'partition');
    // Both kinds keep their own rhythm: about one fault per 4 s each, not one per 4 s in all.
    expect(clock.length).toBeGreaterThanOrEqual(10);
    expect(partition.length).toBeGreaterThanOrEqual(10);
    const overlapping = clock.filter((c) => partition.some((p) => c.from < p.to && p.from < c.to));
    expect(overlapping.length).toBeGreaterThan(0);
    expect(run(['clock-bump', 'partition-leader'], 5, opts, 60)).toEqual(ops); // seeded
  });

  it('without overlap the same kinds never overlap', () => {
    const w = windows(run(['clock-bump', 'partition-leader'], 5, { intervalS: 2 }, 60));
    for (const a of w) for (const b of w) if (a !== b) expect(a.from < b.to && b.from < a.to).toBe(false);
  });

  it('a single kind with overlap is the plain schedule', () => {
    expect(run(['partition'], 9, { intervalS: 2, overlap: true }, 30)).toEqual(run(['partition'], 9, { intervalS: 2 }, 30));
  });
});
