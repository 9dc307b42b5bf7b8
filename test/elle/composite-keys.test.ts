// Composite keys (EDN vectors like [:anti 1], JSON arrays) are one key per
// value, not one per occurrence: otherwise no two micro-ops ever share a key
// and every dependency through them is lost.
import { describe, expect, it } from 'vitest';
import { parseEdnAll } from '../../history/formats/edn.ts';
import { opsFromEdn } from '../../checkers/elle/index.ts';
import { check, history } from './helpers.ts';

describe('composite keys', () => {
  it('EDN vector keys: write skew over [:anti 1] and [:anti 2] is G2-item, not serializable', () => {
    const ops = opsFromEdn(
      parseEdnAll(`
        {:process 0, :type :invoke, :f :txn, :value [[:r [:anti 1] nil] [:append [:anti 2] 1]]}
        {:process 1, :type :invoke, :f :txn, :value [[:r [:anti 2] nil] [:append [:anti 1] 1]]}
        {:process 0, :type :ok, :f :txn, :value [[:r [:anti 1] []] [:append [:anti 2] 1]]}
        {:process 1, :type :ok, :f :txn, :value [[:r [:anti 2] []] [:append [:anti 1] 1]]}`),
    );
    const { result, details } = check(ops, { consistencyModels: ['serializable'] });
    expect(result.valid).toBe(false);
    expect(details.anomalyTypes).toEqual(['G2-item']);
    expect(details.anomalies['G2-item'][0].explanation).toContain('to key [anti 2]');
    expect(details.anomalies['G2-item'][0].cycle!.map((s) => s.key)).toEqual(expect.arrayContaining([['anti', 1], ['anti', 2]]));
  });

  it('JSON array keys (a fresh array at every micro-op): rw-register write skew and a lost update', () => {
    const skew = history([
      { value: [['r', ['anti', 1], null], ['w', ['anti', 2], 1]] },
      { value: [['r', ['anti', 2], null], ['w', ['anti', 1], 1]] },
    ]);
    const g2 = check(skew, { consistencyModels: ['serializable'] });
    expect(g2.result.valid).toBe(false);
    expect(g2.details.anomalyTypes).toEqual(['G2-item']);
    const lost = history([
      { value: [['r', ['k', 0], null], ['w', ['k', 0], 1]] },
      { value: [['r', ['k', 0], null], ['w', ['k', 0], 2]] },
    ]);
    const { result, details } = check(lost, { consistencyModels: ['snapshot-isolation'] });
    expect(details.anomalyTypes).toContain('lost-update');
    expect(details.anomalies['lost-update'][0].key).toEqual(['k', 0]);
    expect(result.valid).toBe(false);
  });

  it('keys compare by value and type: [1] and ["1"] are different keys', () => {
    const stale = (readKey: unknown[]) =>
      check(history([{ value: [['append', [1], 1]] }, { value: [['r', readKey, []]] }], 'sequential') as never, { consistencyModels: ['strict-serializable'] });
    expect(stale([1]).result.valid).toBe(false);
    expect(stale(['1']).result.valid).toBe(true);
  });

  it('the history given is not changed: later occurrences are replaced in copies', () => {
    const ops = history([{ value: [['append', ['a'], 1]] }, { value: [['r', ['a'], [1]]] }], 'sequential');
    const before = JSON.stringify(ops);
    const keys = ops.map((o) => (o.value as unknown[][])[0][1]);
    check(ops);
    expect(JSON.stringify(ops)).toBe(before);
    expect(ops.every((o, i) => (o.value as unknown[][])[0][1] === keys[i])).toBe(true);
  });
});
