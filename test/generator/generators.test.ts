import { describe, expect, it } from 'vitest';
import {
  Random,
  any,
  concat,
  cycle,
  eachWorker,
  fn,
  fromList,
  limit,
  mix,
  ms,
  once,
  phases,
  rate,
  repeat,
  seconds,
  simulate,
  sleep,
  timeLimit,
  type Generator,
} from '../../generator/index.ts';

const workers = [0, 1, 2, 3, 4];

// A workload-like generator: random mix of reads and unique-valued writes.
function registerWorkload(): Generator {
  let next = 0;
  return mix([repeat({ f: 'read' }), fn(() => ({ f: 'write', value: next++ })), repeat((ctx) => ({ f: 'cas', value: [ctx.random.int(5), ctx.random.int(5)] }))]);
}

describe('Random', () => {
  it('is reproducible from its seed and forks independently of fork order', () => {
    const a = new Random(42);
    const b = new Random(42);
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
    expect(new Random(43).uint32()).not.toBe(xs[0]);
    const r1 = new Random(7);
    r1.uint32();
    const forkLate = r1.fork('worker-3').uint32();
    expect(new Random(7).fork('worker-3').uint32()).toBe(forkLate);
    expect(new Random(7).fork('worker-4').uint32()).not.toBe(forkLate);
  });

  it('int stays in range and covers it', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = r.int(6);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(6);
      seen.add(x);
    }
    expect(seen.size).toBe(6);
  });
});

describe('seeds reproduce schedules', () => {
  const run = (seed: number) =>
    simulate(timeLimit(seconds(2), rate(500, registerWorkload())), {
      workers,
      seed,
      duration: (op) => (op.f === 'read' ? ms(1) : ms(3)),
    });

  it('same seed, same ops (values, workers, times)', () => {
    const a = run(1234);
    expect(a.length).toBeGreaterThan(500);
    expect(run(1234)).toEqual(a);
  });

  it('different seed, different ops', () => {
    expect(run(1235)).not.toEqual(run(1234));
  });
});

describe('rates', () => {
  it('stagger gives the target global rate across workers', () => {
    const ops = simulate(timeLimit(seconds(10), rate(200, repeat({ f: 'read' }))), { workers, seed: 9 });
    // 200/s for 10 s = 2000; random spacing => a few percent of noise.
    expect(ops.length).toBeGreaterThan(1850);
    expect(ops.length).toBeLessThan(2150);
    // No worker asks in lock-step: intervals vary.
    const gaps = new Set(ops.slice(1, 50).map((o, i) => Math.round(o.start - ops[i].start)));
    expect(gaps.size).toBeGreaterThan(10);
  });

  it('without a rate, workers run back to back (closed loop)', () => {
    const ops = simulate(timeLimit(ms(100), repeat({ f: 'read' })), { workers, seed: 1, duration: ms(1) });
    expect(ops.length).toBe(5 * 100);
  });

  it('time limit stops asking at the deadline, even mid-wait', () => {
    const ops = simulate(timeLimit(seconds(1), rate(10, repeat({ f: 'read' }))), { workers, seed: 3 });
    expect(ops.every((o) => o.start < seconds(1))).toBe(true);
    expect(ops.length).toBeGreaterThan(3);
    expect(ops.length).toBeLessThan(20);
  });
});

describe('mix', () => {
  it('picks members in roughly equal proportions', () => {
    const ops = simulate(limit(3000, mix([repeat({ f: 'a' }), repeat({ f: 'b' }), repeat({ f: 'c' })])), { workers, seed: 5 });
    expect(ops.length).toBe(3000);
    for (const f of ['a', 'b', 'c']) {
      const n = ops.filter((o) => o.f === f).length;
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
    }
  });

  it('drops exhausted members and ends when all are', () => {
    const ops = simulate(mix([once({ f: 'a' }), limit(3, repeat({ f: 'b' }))]), { workers, seed: 5 });
    expect(ops.map((o) => o.f).sort()).toEqual(['a', 'b', 'b', 'b']);
  });
});

describe('phases and sequences', () => {
  it('a phase starts only after every op of the previous phase completed', () => {
    const ops = simulate(phases(limit(20, repeat({ f: 'write' })), limit(10, repeat({ f: 'read' }))), {
      workers,
      seed: 2,
      duration: (_op, w) => ms(1 + Number(w)), // uneven durations make the barrier matter
    });
    const lastWriteEnd = Math.max(...ops.filter((o) => o.f === 'write').map((o) => o.end));
    const reads = ops.filter((o) => o.f === 'read');
    expect(reads.length).toBe(10);
    expect(Math.min(...reads.map((o) => o.start))).toBeGreaterThanOrEqual(lastWriteEnd);
  });

  it('concat without a barrier lets the next generator start while ops are in flight', () => {
    const ops = simulate(concat(limit(20, repeat({ f: 'write' })), limit(10, repeat({ f: 'read' }))), {
      workers,
      seed: 2,
      duration: (_op, w) => ms(1 + Number(w)),
    });
    const lastWriteEnd = Math.max(...ops.filter((o) => o.f === 'write').map((o) => o.end));
    expect(Math.min(...ops.filter((o) => o.f === 'read').map((o) => o.start))).toBeLessThan(lastWriteEnd);
  });

  it('sleep and cycle build a nemesis schedule with exact timing', () => {
    const schedule = cycle(() => concat(sleep(seconds(5)), once({ f: 'start-partition' }), sleep(seconds(5)), once({ f: 'stop-partition' })));
    const ops = simulate(timeLimit(seconds(31), schedule), { workers: ['nemesis'], seed: 1, duration: 0 });
    expect(ops.map((o) => [o.f, o.start / 1e9])).toEqual([
      ['start-partition', 5],
      ['stop-partition', 10],
      ['start-partition', 15],
      ['stop-partition', 20],
      ['start-partition', 25],
      ['stop-partition', 30],
    ]);
  });

  it('cycle with a count repeats a finite generator that many times', () => {
    const ops = simulate(cycle(() => fromList([{ f: 'a' }, { f: 'b' }]), 3), { workers: [0], seed: 1 });
    expect(ops.map((o) => o.f).join('')).toBe('ababab');
  });
});

describe('per-worker streams', () => {
  it('each worker gets its own sequence, and the whole ends when all are done', () => {
    const ops = simulate(eachWorker((w) => fromList([{ f: 'read', value: w }, { f: 'read', value: w }])), {
      workers,
      seed: 1,
      duration: (_op, w) => ms(1 + Number(w)),
    });
    expect(ops.length).toBe(10);
    for (const w of workers) expect(ops.filter((o) => o.worker === w).map((o) => o.value)).toEqual([w, w]);
  });

  it("a worker's random stream does not depend on the others' timing", () => {
    const gen = () => eachWorker(() => limit(20, repeat((ctx) => ({ f: 'x', value: ctx.random.int(1000) }))));
    const a = simulate(gen(), { workers, seed: 11, duration: ms(1) });
    const b = simulate(gen(), { workers, seed: 11, duration: (_op, w) => ms(1 + 7 * Number(w)) });
    for (const w of workers) {
      expect(b.filter((o) => o.worker === w).map((o) => o.value)).toEqual(a.filter((o) => o.worker === w).map((o) => o.value));
    }
  });

  it('client and nemesis streams forked from one seed are independent', () => {
    const root = new Random(99);
    const nemesisAlone = root.fork('nemesis').uint32();
    const root2 = new Random(99);
    root2.fork('clients').uint32();
    root2.uint32();
    expect(root2.fork('nemesis').uint32()).toBe(nemesisAlone);
  });
});

describe('any: generators side by side', () => {
  it('gives the free worker whichever member has an op due first, each member keeping its own clock', () => {
    const every = (period: number, f: string) => cycle(() => concat(sleep(seconds(period)), once({ f })));
    const ops = simulate(timeLimit(seconds(10), any([every(2, 'a'), every(3, 'b')])), { workers: ['nemesis'], seed: 1, duration: 0 });
    // At 6 s both are due: b goes first, as a had the last turn.
    expect(ops.map((o) => `${o.f}@${o.start / 1e9}`)).toEqual(['a@2', 'b@3', 'a@4', 'b@6', 'a@6', 'a@8', 'b@9']);
  });

  it('ends when every member is exhausted, and a member that ends early leaves the others going', () => {
    const ops = simulate(any([fromList([{ f: 'x' }]), fromList([{ f: 'y' }, { f: 'z' }, { f: 'w' }])]), { workers: [0], seed: 1 });
    expect(ops.map((o) => o.f).sort()).toEqual(['w', 'x', 'y', 'z']);
  });
});
