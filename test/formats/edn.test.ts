import { describe, expect, it } from 'vitest';
import { EdnError, EdnTagged, parseEdn, parseEdnAll } from '../../history/formats/edn.ts';

describe('EDN reader', () => {
  it('reads scalars', () => {
    expect(parseEdnAll('nil true false 42 -7 1.5 -3.5e2 42N 1.5M "a\\"b\\n" :ok :ns/kw sym \\c \\newline')).toEqual([
      null, true, false, 42, -7, 1.5, -350, 42, 1.5, 'a"b\n', 'ok', 'ns/kw', 'sym', 'c', '\n',
    ]);
    expect(parseEdn('12345678901234567890')).toBe(12345678901234567890n);
  });

  it('reads collections, with commas as whitespace and comments', () => {
    const v = parseEdn(`; a history
      [{:process 3, :type :invoke, :f :cas, :value [1 2]}
       {:process :nemesis :type :info :value (a b) :nodes #{:n1 :n2}}]`);
    expect(v).toEqual([
      { process: 3, type: 'invoke', f: 'cas', value: [1, 2] },
      { process: 'nemesis', type: 'info', value: ['a', 'b'], nodes: ['n1', 'n2'] },
    ]);
  });

  it('keeps sets as Set on request, tagged literals as data, and drops #_ forms', () => {
    expect(parseEdn('#{1 2}', { sets: 'set' })).toEqual(new Set([1, 2]));
    const t = parseEdn('#inst "2020-01-01"');
    expect(t).toBeInstanceOf(EdnTagged);
    expect(t).toEqual(new EdnTagged('inst', '2020-01-01'));
    expect(parseEdnAll('#_ 1 2 [3 #_ [4] 5]')).toEqual([2, [3, 5]]);
  });

  it('turns map keys into strings', () => {
    expect(parseEdn('{1 :a, :x 0, "s" 1, [1 2] 3, nil 4}')).toEqual({ '1': 'a', x: 0, s: 1, '[1,2]': 3, nil: 4 });
    const o = parseEdn('{"__proto__" 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__']);
  });

  it.each([
    ['[1 2', 1, 5, "expected ']' to close the vector opened at line 1, column 1, found end of input"],
    ['[1\n 2)', 2, 3, "expected ']' to close the vector opened at line 1, column 1, found ')'"],
    ['{:a 1\n :b}', 2, 4, 'expected a value for every key'],
    ['"abc', 1, 5, "expected '\"' to close the string"],
    [')', 1, 1, "unexpected ')'"],
    ['[1 2] 3', 1, 7, 'expected end of input'],
    ['12abc', 1, 1, 'expected a number'],
  ])('reports %j with line and column', (text, line, column, reason) => {
    let err: unknown;
    try {
      parseEdn(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EdnError);
    const e = err as EdnError;
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(reason);
  });
});
