// Every history of the shared corpus gets the verdict its authors established.
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../checkers/linearizability/index.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import { etcdCases, knossosCases, kvCases, type CorpusCase } from '../../testkit/corpus.ts';

function verdict(c: CorpusCase) {
  return checkLinearizability(readHistoryFile(c.file), c.model(), { timeoutMs: 30_000 });
}

describe.each([
  ['porcupine etcd', etcdCases()],
  ['porcupine kv', kvCases()],
  ['knossos', knossosCases()],
])('%s corpus', (_label, cases) => {
  it('has histories to check', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = verdict(c);
    expect(r.valid, r.summary).toBe(c.expected);
    expect(() => JSON.stringify(r)).not.toThrow();
  });
});
