// The faults checker on made-up histories: every kind took effect -> valid;
// a kind that never did -> unknown (or valid with a note when allowed); a
// failed final heal -> unknown naming the node; loss proven at its heal; and
// per fault, what it did to the clients.
import { describe, expect, it } from 'vitest';
import { checkFaults, type FaultsDetails } from '../../checkers/faults.ts';
import { checkerFromSpec } from '../../checkers/registry.ts';
import { buildTest } from '../../harness/systems/index.ts';
import type { FaultEffect, FaultValue, History, Op } from '../../history/op.ts';

const MS = 1e6;

/** A history written op by op: nemesis faults and client ops at given times (ms). */
class Builder {
  readonly ops: Op[] = [];
  private push(o: Omit<Op, 'index'>): void {
    this.ops.push({ ...o, index: this.ops.length });
  }
  nemesis(atMs: number, f: string, type: 'ok' | 'info' | 'fail', value: Partial<FaultValue> | null, error?: string): this {
    this.push({ time: atMs * MS, process: 'nemesis', type: 'invoke', f, value: null });
    this.push({ time: (atMs + 1) * MS, process: 'nemesis', type, f, value, ...(error ? { error } : {}) });
    return this;
  }
  fault(kind: string, fromMs: number, toMs: number, effect: FaultEffect, stop: Partial<FaultValue> = {}): this {
    this.nemesis(fromMs, `start-${kind}`, 'ok', { fault: kind, nodes: ['n1'], effect, evidence: { summary: `${kind} ${effect}` } });
    return this.nemesis(toMs, `stop-${kind}`, 'ok', { fault: kind, nodes: ['n1'], effect: 'took-effect', evidence: { summary: 'healed' }, ...stop });
  }
  client(fromMs: number, toMs: number, type: 'ok' | 'fail' | 'info', process = 0): this {
    this.push({ time: fromMs * MS, process, type: 'invoke', f: 'read', value: null });
    this.push({ time: toMs * MS, process, type, f: 'read', value: null });
    return this;
  }
  heal(atMs: number, ok = true): this {
    return ok
      ? this.nemesis(atMs, 'stop-all', 'ok', { fault: 'all', nodes: ['n1', 'n2', 'n3'], effect: 'took-effect', evidence: { summary: 'all 6 pairs connect again' } })
      : this.nemesis(atMs, 'stop-all', 'info', { fault: 'all', nodes: ['n1', 'n2', 'n3'], effect: 'no-effect', evidence: { summary: 'heal failed: n2: script exited 2: iptables: locked', failedNodes: ['n2'] } }, 'heal failed');
  }
  get history(): History {
    return this.ops.slice().sort((a, b) => a.time - b.time || a.index - b.index).map((o, index) => ({ ...o, index }));
  }
}

const details = (h: History, config = {}) => checkFaults(h, config).details as FaultsDetails;

describe('faults checker', () => {
  it('valid when every kind took effect, with counts per kind', () => {
    const h = new Builder().fault('partition', 100, 200, 'took-effect').fault('kill', 300, 400, 'took-effect').fault('partition', 500, 600, 'took-effect').heal(700).history;
    const r = checkFaults(h, { requested: ['partition', 'kill'] });
    expect(r).toMatchObject({ checker: 'faults', valid: true, summary: 'every fault kind took effect: partition 2/2, kill 1/1' });
    expect(details(h).counts).toEqual({ tookEffect: 3, noEffect: 0, unverified: 0 });
    expect(details(h).finalHeal).toMatchObject({ ok: true });
  });

  it('unknown when some kind never took effect, naming the kind and its count', () => {
    const b = new Builder().fault('kill', 50, 90, 'took-effect');
    for (let i = 0; i < 6; i++) b.fault('partition', 100 + i * 100, 150 + i * 100, 'no-effect');
    const r = checkFaults(b.heal(1000).history);
    expect(r.valid).toBe('unknown');
    expect(r.summary).toBe('faults had no effect (partition 0/6 took effect)');
    expect((r.details as FaultsDetails).ineffective).toEqual(['partition']);
  });

  it('an unverified kind never took effect either; a kind with some effect is valid, with a note', () => {
    const h = new Builder().fault('clock', 100, 200, 'unverified').fault('pause', 300, 400, 'no-effect').fault('pause', 500, 600, 'took-effect').heal(700).history;
    const r = checkFaults(h);
    expect(r.valid).toBe('unknown');
    expect(r.summary).toBe('faults had no effect (clock 0/1 took effect)');
    expect((r.details as FaultsDetails).notes).toContain('some injections without effect: pause 1/2');
  });

  it('--allow-ineffective-faults: valid, and the summary says what was allowed', () => {
    const h = new Builder().fault('partition', 100, 200, 'no-effect').fault('kill', 300, 400, 'took-effect').heal(700).history;
    const r = checkFaults(h, { allowIneffective: true });
    expect(r.valid).toBe(true);
    expect(r.summary).toBe('some fault kinds never took effect (partition), allowed by --allow-ineffective-faults: partition 0/1, kill 1/1');
  });

  it('a failed final heal is unknown, naming the node, whatever is allowed', () => {
    const h = new Builder().fault('partition', 100, 200, 'took-effect').heal(300, false).history;
    for (const allowIneffective of [false, true]) {
      const r = checkFaults(h, { allowIneffective });
      expect(r.valid).toBe('unknown');
      expect(r.summary).toBe('the final heal failed on n2: heal failed: n2: script exited 2: iptables: locked');
    }
  });

  it('a start whose command failed (info, no evidence) counts as no effect; a refused start (fail) is no injection', () => {
    const h = new Builder()
      .nemesis(100, 'start-partition', 'info', null, 'n2: script exited 2: iptables: Permission denied')
      .nemesis(200, 'stop-partition', 'ok', { fault: 'partition', nodes: [] })
      .nemesis(300, 'start-kill', 'fail', null, 'no leader to kill')
      .heal(400).history;
    const r = checkFaults(h, { requested: ['partition', 'kill'] });
    expect(r.valid).toBe('unknown');
    expect(r.summary).toBe('faults had no effect (partition 0/1 took effect)');
    const d = r.details as FaultsDetails;
    expect(d.faults[0]).toMatchObject({ kind: 'partition', effect: 'no-effect', evidence: 'n2: script exited 2: iptables: Permission denied' });
    expect(d.kinds.find((k) => k.kind === 'kill')).toMatchObject({ injected: 0, refused: 1 });
    expect(d.notes[0]).toMatch(/^asked for but never injected: kill/);
  });

  it('loss unproven at its start is proven by the counters read at its heal', () => {
    const h = new Builder().fault('loss', 100, 200, 'unverified', { faultEffect: 'took-effect', evidence: { summary: 'n2 dropped 5 from n1' } }).heal(300).history;
    const r = checkFaults(h);
    expect(r.valid).toBe(true);
    expect((r.details as FaultsDetails).faults[0].evidence).toContain('shown at the heal: n2 dropped 5 from n1');
  });

  it('impact: failed and timed-out client ops during the fault, throughput before / during / after', () => {
    const b = new Builder();
    // 10 ok reads before (0-100 ms), 2 during (100-200) plus a fail and an info, 10 after (200-300).
    for (let i = 0; i < 10; i++) b.client(i * 10, i * 10 + 5, 'ok');
    b.fault('partition', 100, 199, 'took-effect');
    b.client(110, 120, 'ok').client(130, 140, 'ok').client(150, 160, 'fail', 1).client(150, 170, 'info', 2);
    for (let i = 0; i < 10; i++) b.client(205 + i * 9, 208 + i * 9, 'ok', 3);
    const f = details(b.history).faults[0];
    expect(f.impact.failed).toBe(1);
    expect(f.impact.timedOut).toBe(1);
    // ~10 ops per 0.1 s outside the fault, 2 inside (the after window ends with the history, a little short).
    expect(f.impact.throughput.before).toBeGreaterThan(90);
    expect(f.impact.throughput.during).toBeLessThan(25);
    expect(f.impact.throughput.after).toBeGreaterThan(90);
  });

  it('is in the registry with its config, as analyze rebuilds it', () => {
    const c = checkerFromSpec({ name: 'faults', config: { requested: ['partition'], allowIneffective: true } });
    expect(c.config).toEqual({ requested: ['partition'], allowIneffective: true });
    const h = new Builder().fault('partition', 100, 200, 'no-effect').heal(300).history;
    expect(c.check(h, { nodes: ['n1'], workload: 'register' })).toMatchObject({ valid: true });
  });
});

describe('the faults check in every Docker-backed test with faults', () => {
  const options = { db: 'etcd', nodes: '3', workload: 'register', timeLimit: 30, opTimeout: 1000, nemesisInterval: '5s' };
  const faultsChecker = (more: Record<string, unknown>) => buildTest({ ...options, ...more }, 1).workload.checkers.find((c) => c.name === 'faults');

  it('is added with the kinds asked for; --allow-ineffective-faults passes through; none without faults', () => {
    expect(faultsChecker({ nemesis: 'partition-ring,kill-leader,kill' })?.config).toEqual({ requested: ['partition', 'kill'] });
    expect(faultsChecker({ nemesis: 'pause', allowIneffectiveFaults: true })?.config).toEqual({ requested: ['pause'], allowIneffective: true });
    expect(buildTest({ ...options, nemesis: 'pause', allowIneffectiveFaults: true }, 1).options).toMatchObject({ allowIneffectiveFaults: true });
    expect(faultsChecker({ nemesis: 'none' })).toBeUndefined();
  });
});
