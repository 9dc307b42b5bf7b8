// Which analysis a history gets: named, or read off micro-ops that decide it;
// never guessed from reads alone (a wrong guess can pass a broken history).
import { describe, expect, it } from 'vitest';
import { UserError } from '../../history/index.ts';
import { check, history } from './helpers.ts';

// Two rw-register transactions that only read, one after the other: x = 3,
// though nobody ever wrote 3. Taken for list-append, the reads of 3 counted
// as empty lists and the history passed.
const readOnlyRegister = history([{ value: [['r', 'x', 3]] }, { value: [['r', 'x', 3]] }], 'sequential');

describe('the elle workload', () => {
  it('a read-only history without a named workload is refused, asking for --workload', () => {
    expect(() => check(readOnlyRegister)).toThrow(UserError);
    expect(() => check(readOnlyRegister)).toThrow(/only read/);
    try {
      check(readOnlyRegister);
    } catch (e) {
      expect((e as UserError).hint).toMatch(/--workload list-append or --workload rw-register/);
    }
  });

  it('named rw-register, the read-only history is checked as registers: the garbage reads make it invalid', () => {
    const { result, details } = check(readOnlyRegister, { workload: 'rw-register' });
    expect(result.valid).toBe(false);
    expect(details.workload).toBe('rw-register');
    expect(details.workloadFrom).toBe('option');
    expect(details.anomalyTypes).toEqual(['garbage-read']);
    expect(result.summary).toMatch(/^rw-register: not strict-serializable: garbage-read \(2\)/);
  });

  it('named list-append, a read of a single value is refused rather than taken for the empty list', () => {
    expect(() => check(readOnlyRegister, { workload: 'list-append' })).toThrow(/read of a single value \[:r x 3\], not a list/);
  });

  it('an append decides list-append, a w decides rw-register, and the result says which and how', () => {
    const append = check(history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', [1]]] }], 'sequential'));
    expect(append.details.workload).toBe('list-append');
    expect(append.details.workloadFrom).toBe('micro-ops');
    expect(append.result.valid).toBe(true);
    expect(append.result.summary).toMatch(/^list-append \(from the micro-ops\): 2 transactions, no anomaly/);
    const write = check(history([{ value: [['r', 'x', null]] }, { value: [['w', 'x', 1]] }, { value: [['r', 'x', 1]] }], 'sequential'));
    expect(write.details.workload).toBe('rw-register');
    expect(write.result.valid).toBe(true);
    expect(write.result.summary).toMatch(/^rw-register \(from the micro-ops\): 3 transactions/);
  });

  it('an invalid result names the workload too', () => {
    const { result } = check(history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', []]] }], 'sequential'));
    expect(result.valid).toBe(false);
    expect(result.summary).toMatch(/^list-append \(from the micro-ops\): not strict-serializable: G-single-realtime/);
  });

  it('micro-ops of the other workload are refused: a mixed history, or a wrongly named one', () => {
    const mixed = history([{ value: [['append', 'x', 1]] }, { value: [['w', 'y', 1]] }]);
    expect(() => check(mixed)).toThrow(/has a write \[:w y 1\], which a list-append history cannot hold/);
    const registers = history([{ value: [['w', 'x', 1]] }, { value: [['r', 'x', 1]] }]);
    expect(() => check(registers, { workload: 'list-append' })).toThrow(UserError);
    const lists = history([{ value: [['append', 'x', 1]] }, { value: [['r', 'x', [1]]] }]);
    expect(() => check(lists, { workload: 'rw-register' })).toThrow(/has an append \[:append x 1\], which a rw-register history cannot hold/);
  });
});
