// Histories from the in-memory store (test/elle/sim) must show exactly the
// anomalies its isolation mode allows, and none when it is serializable.
import { describe, expect, it } from 'vitest';
import { simulate, type IsolationMode, type SimWorkload } from '../../testkit/elle-sim.ts';
import { check } from './helpers.ts';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

function run(mode: IsolationMode, workload: SimWorkload, models: string[]) {
  const found = new Map<string, number>();
  const verdicts: Array<boolean | 'unknown'> = [];
  for (const seed of SEEDS) {
    const ops = simulate({ seed, mode, workload, txns: 200 });
    const { result, details } = check(ops, { consistencyModels: models, linearizableKeys: workload === 'rw-register' });
    verdicts.push(result.valid);
    for (const a of details.anomalyTypes) found.set(a, (found.get(a) ?? 0) + 1);
  }
  return { found, verdicts, types: [...found.keys()].sort() };
}

const variants = (base: string[]) => base.flatMap((a) => [a, `${a}-process`, `${a}-realtime`]);

describe.each(['list-append', 'rw-register'] as const)('simulated store, %s', (workload) => {
  it('serializable: no anomaly at all, strict serializable across seeds', () => {
    const { types, verdicts } = run('serializable', workload, ['strict-serializable']);
    expect(types).toEqual([]);
    expect(verdicts.every((v) => v === true)).toBe(true);
  });

  it('snapshot isolation: only write skew (G2-item), strong SI holds', () => {
    const { types, verdicts, found } = run('snapshot-isolation', workload, ['strong-snapshot-isolation']);
    expect(variants(['G2-item'])).toEqual(expect.arrayContaining(types));
    expect(found.get('G2-item') ?? 0).toBeGreaterThan(SEEDS.length / 2);
    expect(verdicts.every((v) => v === true)).toBe(true);
    expect(run('snapshot-isolation', workload, ['serializable']).verdicts.some((v) => v === false)).toBe(true);
  });

  it('read committed: no G0/G1, but non-repeatable reads, lost updates and G-single appear', () => {
    const { types, verdicts } = run('read-committed', workload, ['strong-read-committed']);
    const allowed = ['internal', 'lost-update', ...variants(['G-single', 'G-nonadjacent', 'G2-item'])];
    expect(allowed).toEqual(expect.arrayContaining(types));
    expect(types).toEqual(expect.arrayContaining(['internal', 'lost-update', 'G-single']));
    expect(verdicts.every((v) => v === true)).toBe(true);
  });

  it('lost updates: detected, and nothing dirty', () => {
    const { found, types } = run('lost-update', workload, ['snapshot-isolation']);
    expect(found.get('lost-update') ?? 0).toBeGreaterThan(SEEDS.length / 3);
    for (const dirty of ['G1a', 'G1b', 'dirty-update', 'internal', 'duplicate-elements', 'garbage-read']) expect(types).not.toContain(dirty);
  });

  it('no isolation: aborted and intermediate reads, read committed ruled out', () => {
    const { found, verdicts } = run('no-isolation', workload, ['read-committed']);
    expect(found.get('G1a') ?? 0).toBeGreaterThan(SEEDS.length / 2);
    expect(found.get('G1b') ?? 0).toBeGreaterThan(0);
    expect(verdicts.filter((v) => v === false).length).toBeGreaterThan(SEEDS.length / 2);
  });
});
