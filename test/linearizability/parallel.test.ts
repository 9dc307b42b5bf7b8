// Partitions on worker threads: same verdicts, cancellation on the first refutation.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLinearizabilityParallel } from '../../checkers/linearizability/parallel.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import { corpusDir } from '../../testkit/corpus.ts';

const kv = (f: string) => readHistoryFile(path.join(corpusDir, 'porcupine/kv', f));

describe('checkLinearizabilityParallel', () => {
  it('checks every partition of a valid history, some of them on workers', async () => {
    const r = await checkLinearizabilityParallel(kv('c50-ok.txt'), { name: 'kv' }, { workers: 1, handoffMs: 0 });
    expect(r.valid, r.summary).toBe(true);
    expect(r.details.workers).toBe(1);
    expect(r.details.partitions).toHaveLength(10);
    expect(r.details.partitions.every((p) => p.valid === true)).toBe(true);
  });

  it('refutes an invalid history and stops the other partitions', async () => {
    const r = await checkLinearizabilityParallel(kv('c50-bad.txt'), { name: 'kv' }, { workers: 2, handoffMs: 0, timeoutMs: 60_000 });
    expect(r.valid).toBe(false);
    expect(r.details.workers).toBe(2);
    expect(r.details.partitions[0].valid).toBe(false);
    expect(r.details.partitions[0].counterexample?.stuck.length).toBeGreaterThan(0);
    expect(r.details.partitions.some((p) => p.valid === 'unknown' && p.unknownReason === 'cancelled')).toBe(true);
  });

  it('stays on this thread when the search ends before the hand-off', async () => {
    const r = await checkLinearizabilityParallel(kv('c10-ok.txt'), { name: 'kv' }, { workers: 2, handoffMs: 10_000 });
    expect(r.valid).toBe(true);
    expect(r.details.workers).toBeUndefined();
  });
});
