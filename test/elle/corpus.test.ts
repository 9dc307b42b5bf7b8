// Elle's own histories (../shared/corpus/elle), with the verdicts Elle gives.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEdnAll } from '../../history/formats/edn.ts';
import { opsFromEdn } from '../../checkers/elle/index.ts';
import { check } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

function load(name: string) {
  const file = path.join(corpus, 'elle', name);
  if (!existsSync(file)) throw new Error(`corpus file missing: ${file} (the shared corpus must sit beside the repository)`);
  return opsFromEdn(parseEdnAll(readFileSync(file, 'utf8')));
}

describe('Elle corpus', () => {
  it('si-without-g-single.edn: only G2-item; repeatable read ruled out, snapshot isolation not', () => {
    const { result, details } = check(load('si-without-g-single.edn'), { consistencyModels: ['snapshot-isolation', 'repeatable-read'] });
    expect(details.anomalyTypes).toEqual(['G2-item']);
    expect(details.not).toEqual(['repeatable-read']);
    expect(details.alsoNot).not.toContain('snapshot-isolation');
    expect(result.valid).toBe(false); // repeatable-read was asked for
    expect(check(load('si-without-g-single.edn'), { consistencyModels: ['snapshot-isolation'] }).result.valid).toBe(true);
  });

  it('paper-example.edn: the real-time cycle rules out strict serializability', () => {
    const { result, details } = check(load('paper-example.edn'), { consistencyModels: ['strict-serializable'] });
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toContain('G-single-realtime');
    expect(details.alsoNot).toContain('strict-serializable');
    const rt = details.anomalies['G-single-realtime'][0];
    expect(rt.cycle!.map((s) => s.kind)).toEqual(['wr', 'realtime', 'rw']);
    expect(rt.explanation).toContain("T2 observed T1's append of 8 to key 255");
    expect(rt.explanation).toContain("T3 did not observe T1's append of 8 to key 255");
    // The same three transactions also form a cycle without the real-time
    // edge: T3's committed append of 3 to key 256 was never read, so it comes
    // after everything reads of key 256 saw, including the version T2 read
    // (Elle infers the same for unread appends). So serializability falls too.
    expect(details.anomalyTypes).toContain('G2-item');
    expect(details.anomalies['G2-item'][0].explanation).toContain("T2 did not observe T3's append of 3 to key 256");
    expect(details.alsoNot).toContain('serializable');
  });

  it('huge-scc.edn: invalid for strong snapshot isolation with G2-item-realtime, within the budget', () => {
    const ops = load('huge-scc.edn');
    const { result, details } = check(ops, { consistencyModels: ['strong-snapshot-isolation'], cycleSearchTimeoutMs: 10_000 });
    expect(result.valid).toBe(false);
    expect(details.not).toEqual(['strong-snapshot-isolation']);
    expect(details.anomalyTypes).toContain('G2-item-realtime');
    expect(details.stats.largestScc).toBeGreaterThan(1000);
  });

  it('huge-scc.edn with no time to classify: says so, and the verdict is still exact', () => {
    const { result, details } = check(load('huge-scc.edn'), { consistencyModels: ['strong-snapshot-isolation'], cycleSearchTimeoutMs: 0 });
    expect(result.valid).toBe(false);
    expect(details.not).toEqual(['strong-snapshot-isolation']);
    expect(details.anomalyTypes).toContain('cycle-search-timeout');
    expect(details.stats.timedOut).toBe(true);
  });
});

// The verdicts ../shared/corpus/README.md gives for each Elle history, per
// model it names: a file added without one fails here instead of going unchecked.
const README_VERDICTS: Record<string, Array<{ models: string[]; valid: boolean; anomalies: string[] }>> = {
  'paper-example.edn': [{ models: ['strict-serializable'], valid: false, anomalies: ['G-single-realtime'] }],
  'si-without-g-single.edn': [
    { models: ['snapshot-isolation'], valid: true, anomalies: ['G2-item'] },
    { models: ['repeatable-read'], valid: false, anomalies: ['G2-item'] },
  ],
  'huge-scc.edn': [{ models: ['strong-snapshot-isolation'], valid: false, anomalies: ['G2-item-realtime'] }],
};

describe('Elle corpus: every history agrees with the README verdicts', () => {
  const files = readdirSync(path.join(corpus, 'elle')).filter((f) => f.endsWith('.edn')).sort();

  it('every file has a verdict to compare with', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !README_VERDICTS[f])).toEqual([]);
  });

  it.each(files.flatMap((f) => (README_VERDICTS[f] ?? []).map((v) => [f, v.models.join(','), v] as const)))('%s checked for %s', (name, _models, expected) => {
    const { result, details } = check(load(name), { consistencyModels: expected.models });
    expect(result.valid).toBe(expected.valid);
    expect(details.anomalyTypes).toEqual(expect.arrayContaining(expected.anomalies));
    // Read off the appends, as Elle's list-append checker would run.
    expect(details.workload).toBe('list-append');
    expect(details.unknownReasons).toBeUndefined();
  });
});
