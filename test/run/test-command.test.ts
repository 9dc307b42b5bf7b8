import { describe, expect, it } from 'vitest';
import { parseNodes, withoutOptions } from '../../harness/commands/test.ts';

describe('faultline test options', () => {
  it('--nodes takes a count or names', () => {
    expect(parseNodes('3')).toEqual(['n1', 'n2', 'n3']);
    expect(parseNodes('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseNodes('0')).toThrow(/at least 1/);
  });

  it('the reproduce line drops the options it pins', () => {
    expect(withoutOptions(['--db', 'memory', '--seed', '4', '--test-count=3', '--rate', '9'], ['seed', 'test-count'])).toEqual(['--db', 'memory', '--rate', '9']);
  });
});
