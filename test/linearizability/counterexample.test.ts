// What an invalid verdict says, and how the search stops on a budget.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../checkers/linearizability/index.ts';
import { casRegisterModel, kvModel, modelByName, modelNames } from '../../checkers/models/index.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import type { Op } from '../../history/op.ts';
import { corpusDir } from '../../testkit/corpus.ts';

describe('counterexample', () => {
  it("names the read of 2 by process 21 in Knossos' bad-analysis.edn", () => {
    const history = readHistoryFile(path.join(corpusDir, 'knossos/cas-register/bad/bad-analysis.edn'));
    const r = checkLinearizability(history, casRegisterModel({ initial: 0 }));
    expect(r.valid).toBe(false);
    const p = r.details.partitions[0];
    const ce = p.counterexample!;
    const blocking = history[ce.blockingOp!];
    expect([blocking.process, blocking.f, history.find((o) => o.process === 21 && o.type === 'ok')?.value]).toEqual([21, 'read', 2]);
    expect(ce.stuck[0]).toMatchObject({ op: ce.blockingOp, description: 'read -> 2' });
    expect(ce.stuck[0].reason).toMatch(/impossible when the state is/);
    // The prefix is a real linearization: writes 2, 4, read 4, write 0, read 0, in that order
    // (then, perhaps, the indeterminate write of 1).
    expect(ce.longestPrefix.slice(0, 5).map((s) => history[s.op].value)).toEqual([2, 4, 4, 0, 0]);
    expect(ce.statesAtFailure.some((s) => s === '0' || s === '1')).toBe(true);
    expect(ce.partialLinearizations[0].steps).toEqual(ce.longestPrefix);
    expect(p.ops!.map((o) => o.op)).toContain(ce.blockingOp);
    expect(r.summary).toContain(`op ${ce.blockingOp} (read -> 2)`);
    // The whole result survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('reports the failing key of a partitioned kv history, cancelling the others', () => {
    const r = checkLinearizability(readHistoryFile(path.join(corpusDir, 'porcupine/kv/c50-bad.txt')), kvModel());
    expect(r.valid).toBe(false);
    expect(r.details.partitions[0].valid).toBe(false);
    expect(r.details.partitions[0].key).not.toBeNull();
    expect(r.details.partitions.filter((p) => p.valid === 'unknown').every((p) => p.unknownReason === 'cancelled')).toBe(true);
  });
});

describe('budgets', () => {
  it('returns unknown promptly on a pathological history with a 100 ms budget', () => {
    const history = readHistoryFile(path.join(corpusDir, 'porcupine/kv/c50-ok.txt'));
    const t0 = performance.now();
    const r = checkLinearizability(history, kvModel(), { partition: false, timeoutMs: 100 });
    const elapsed = performance.now() - t0;
    expect(r.valid).toBe('unknown');
    expect(r.details.unknownReason).toBe('timeout');
    expect(r.summary).toMatch(/ran out of time/);
    expect(r.details.partitions[0].progress.deepest).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(2000);
  });

  it('returns unknown (memory) when the cache outgrows its budget', () => {
    const history = readHistoryFile(path.join(corpusDir, 'porcupine/kv/c50-ok.txt'));
    const r = checkLinearizability(history, kvModel(), { partition: false, maxMemoryBytes: 1 });
    expect(r.valid).toBe('unknown');
    expect(r.details.unknownReason).toBe('memory');
  });

  it('stops when its signal aborts', () => {
    const history = readHistoryFile(path.join(corpusDir, 'porcupine/kv/c50-ok.txt'));
    const ac = new AbortController();
    ac.abort();
    expect(checkLinearizability(history, kvModel(), { signal: ac.signal }).details.unknownReason).toBe('cancelled');
  });
});

describe('history semantics', () => {
  const op = (index: number, process: number, type: Op['type'], f: string, value: unknown): Op => ({ index, time: index, process, type, f, value });

  it('drops fail ops, leaves info ops open to the end, ignores the nemesis', () => {
    const model = casRegisterModel({ nilRead: 'absent' });
    const h: Op[] = [
      op(0, 1, 'invoke', 'write', 1),
      op(1, 1, 'fail', 'write', 1), // did not happen
      op(2, 2, 'invoke', 'write', 2),
      op(3, 2, 'info', 'write', 2), // may take effect later...
      { index: 4, time: 4, process: 'nemesis', type: 'info', f: 'start-partition', value: null },
      op(5, 3, 'invoke', 'read', null),
      op(6, 3, 'ok', 'read', null), // ...or not yet
      op(7, 3, 'invoke', 'read', null),
      op(8, 3, 'ok', 'read', 2), // ...and now it has
    ];
    const r = checkLinearizability(h, model);
    expect(r.valid).toBe(true);
    expect(r.details.dropped.failed).toBe(1);
    // Reading 1 would need the failed write.
    expect(checkLinearizability([...h, op(9, 3, 'invoke', 'read', null), op(10, 3, 'ok', 'read', 1)], model).valid).toBe(false);
  });

  it('pairs a completion with the last open invoke of its process', () => {
    const model = casRegisterModel({ nilRead: 'absent' });
    const h: Op[] = [op(0, 1, 'invoke', 'write', 1), op(1, 1, 'ok', 'write', 1), op(2, 1, 'invoke', 'read', null), op(3, 1, 'ok', 'read', 1)];
    expect(checkLinearizability(h, model).valid).toBe(true);
  });

  it('treats a nil read per the model option', () => {
    const h: Op[] = [op(0, 1, 'invoke', 'write', 1), op(1, 1, 'ok', 'write', 1), op(2, 2, 'invoke', 'read', null), op(3, 2, 'ok', 'read', null)];
    expect(checkLinearizability(h, casRegisterModel({ nilRead: 'unknown' })).valid).toBe(true);
    expect(checkLinearizability(h, casRegisterModel({ nilRead: 'absent' })).valid).toBe(false);
  });

  it('lets a lost dequeue on an unordered queue have removed any element', () => {
    const h: Op[] = [
      op(0, 1, 'invoke', 'enqueue', 1),
      op(1, 1, 'ok', 'enqueue', 1),
      op(2, 1, 'invoke', 'enqueue', 2),
      op(3, 1, 'ok', 'enqueue', 2),
      op(4, 2, 'invoke', 'dequeue', null),
      op(5, 2, 'info', 'dequeue', null), // took 1 (or 2)
      op(6, 3, 'invoke', 'dequeue', null),
      op(7, 3, 'ok', 'dequeue', 2),
      op(8, 3, 'invoke', 'dequeue', null),
      op(9, 3, 'ok', 'dequeue', null), // empty: the lost dequeue must have taken 1
    ];
    expect(checkLinearizability(h, modelByName('queue')!).valid).toBe(true);
    // ...but it took only one element.
    const twice = [...h.slice(0, 6), op(6, 3, 'invoke', 'dequeue', null), op(7, 3, 'ok', 'dequeue', null)];
    expect(checkLinearizability(twice, modelByName('queue')!).valid).toBe(false);
  });

  it('has every registered model by name', () => {
    for (const name of modelNames) expect(modelByName(name)?.name).toBe(name);
  });

  it('checks faultline kv-cas-register ops [key, v] per key', () => {
    const model = modelByName('kv-cas-register')!;
    const h: Op[] = [
      op(0, 1, 'invoke', 'write', ['x', 1]),
      op(1, 1, 'ok', 'write', ['x', 1]),
      op(2, 2, 'invoke', 'cas', ['y', [null, 5]]),
      op(3, 2, 'ok', 'cas', ['y', [null, 5]]),
      op(4, 1, 'invoke', 'read', ['x', null]),
      op(5, 1, 'ok', 'read', ['x', 1]),
    ];
    const r = checkLinearizability(h, model);
    expect(r.valid).toBe(true);
    expect(r.details.partitionCount).toBe(2);
    const bad = [...h, op(6, 2, 'invoke', 'read', ['y', null]), op(7, 2, 'ok', 'read', ['y', 1])];
    const rb = checkLinearizability(bad, model);
    expect(rb.valid).toBe(false);
    expect(rb.details.partitions[0].key).toBe('y');
  });
});
