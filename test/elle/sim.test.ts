// Histories from the in-memory store (test/elle/sim) must show exactly the
// anomalies its isolation mode allows, and none when it is serializable.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { simulate, type IsolationMode, type SimWorkload } from '../../testkit/elle-sim.ts';
import { check } from './helpers.ts';
import { infoVisibility, withUnknownOutcomes } from './unknown-outcomes.ts';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

/** Per seed: the verdict and the anomaly names; `reshape` may rewrite each history first. */
function run(mode: IsolationMode, workload: SimWorkload, models: string[], reshape: (ops: Op[], seed: number) => Op[] = (ops) => ops) {
  const found = new Map<string, number>();
  const verdicts: Array<boolean | 'unknown'> = [];
  const perSeed: Array<{ valid: boolean | 'unknown'; types: string[] }> = [];
  for (const seed of SEEDS) {
    const ops = reshape(simulate({ seed, mode, workload, txns: 200 }), seed);
    const { result, details } = check(ops, { workload, consistencyModels: models, linearizableKeys: workload === 'rw-register' });
    verdicts.push(result.valid);
    perSeed.push({ valid: result.valid, types: details.anomalyTypes });
    for (const a of details.anomalyTypes) found.set(a, (found.get(a) ?? 0) + 1);
  }
  return { found, verdicts, perSeed, types: [...found.keys()].sort() };
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
    const { found, types, perSeed } = run('lost-update', workload, ['snapshot-isolation']);
    expect(found.get('lost-update') ?? 0).toBeGreaterThan(SEEDS.length / 3);
    for (const dirty of ['G1a', 'G1b', 'dirty-update', 'internal', 'duplicate-elements', 'garbage-read']) expect(types).not.toContain(dirty);
    // Snapshot isolation forbids lost updates: each history showing one is invalid.
    for (const { valid, types: seen } of perSeed) if (seen.includes('lost-update')) expect(valid).toBe(false);
    // Nothing else may make a history invalid: no lost update, no SI violation, nothing unknown.
    for (const { valid, types: seen } of perSeed) if (!seen.includes('lost-update') && !seen.some((a) => a.startsWith('G-'))) expect(valid).toBe(true);
  });

  it('no isolation: aborted and intermediate reads, read committed ruled out', () => {
    const { found, verdicts } = run('no-isolation', workload, ['read-committed']);
    expect(found.get('G1a') ?? 0).toBeGreaterThan(SEEDS.length / 2);
    expect(found.get('G1b') ?? 0).toBeGreaterThan(0);
    expect(verdicts.filter((v) => v === false).length).toBeGreaterThan(SEEDS.length / 2);
  });
});

// Unknown outcomes: an info transaction may have taken effect or not. Its
// writes may be seen or never seen, and neither is an anomaly.
describe.each(['list-append', 'rw-register'] as const)('simulated store with unknown outcomes (info), %s', (workload) => {
  const reshape = (ops: Op[], seed: number) => withUnknownOutcomes(ops, seed);

  it('the histories hold info transactions whose writes were seen, and some whose writes never were', () => {
    let visible = 0, invisible = 0;
    for (const seed of SEEDS.slice(0, 10)) {
      const v = infoVisibility(reshape(simulate({ seed, mode: 'snapshot-isolation', workload, txns: 200 }), seed));
      visible += v.visible;
      invisible += v.invisible;
    }
    expect(visible).toBeGreaterThan(5);
    expect(invisible).toBeGreaterThan(5);
  });

  it('serializable: still no anomaly, strict serializable across seeds (no false alarm from info writes)', () => {
    const { types, verdicts } = run('serializable', workload, ['strict-serializable'], reshape);
    expect(types).toEqual([]);
    expect(verdicts.every((v) => v === true)).toBe(true);
  });

  it('snapshot isolation: still only write skew, strong SI holds', () => {
    const { types, verdicts } = run('snapshot-isolation', workload, ['strong-snapshot-isolation'], reshape);
    expect(variants(['G2-item'])).toEqual(expect.arrayContaining(types));
    expect(verdicts.every((v) => v === true)).toBe(true);
  });

  if (workload === 'rw-register') {
    it('every version-order inference on (wfr, sequential and linearizable keys): still no false alarm', () => {
      for (const [mode, model] of [['serializable', 'strict-serializable'], ['snapshot-isolation', 'strong-snapshot-isolation']] as const) {
        for (const seed of SEEDS) {
          const ops = reshape(simulate({ seed, mode, workload, txns: 200 }), seed);
          const { result, details } = check(ops, { workload, consistencyModels: [model], wfrKeys: true, sequentialKeys: true, linearizableKeys: true });
          expect(variants(['G2-item']), `${mode} seed ${seed}`).toEqual(expect.arrayContaining(details.anomalyTypes));
          expect(result.valid, `${mode} seed ${seed}`).toBe(true);
        }
      }
    });
  }
});
