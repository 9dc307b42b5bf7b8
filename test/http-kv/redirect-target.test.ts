// Which node a redirect names: its name, its number ({id}), or an address
// holding its IP; nothing known means "no leader yet" (null), and a definition
// without a leader field tries the next node in turn.
import { describe, expect, it } from 'vitest';
import { nodeOf, redirectTarget } from '../../workloads/http-kv/redirect-target.ts';

const urls = { n1: 'http://10.7.0.11:8080', n2: 'http://10.7.0.12:8080', n3: 'http://10.7.0.13:8080' };

describe('http-kv redirect targets', () => {
  it('by name, by number from 1, by an address or URL with any port', () => {
    expect(nodeOf('n2', urls)).toBe('n2');
    expect(nodeOf(3, urls)).toBe('n3');
    expect(nodeOf('1', urls)).toBe('n1');
    expect(nodeOf('10.7.0.12:2380', urls)).toBe('n2');
    expect(nodeOf('http://10.7.0.13:8080/kv/put', urls)).toBe('n3');
    expect(nodeOf('10.7.0.11', urls)).toBe('n1');
  });

  it('names nothing for other hosts, prefixes of an IP, numbers out of range and odd types', () => {
    expect(nodeOf('10.7.0.1:8080', urls)).toBeUndefined(); // 10.7.0.1 is a prefix of 10.7.0.11, not a node
    expect(nodeOf('10.7.0.111:8080', urls)).toBeUndefined();
    expect(nodeOf('n9', urls)).toBeUndefined();
    expect(nodeOf(0, urls)).toBeUndefined();
    expect(nodeOf(4, urls)).toBeUndefined();
    expect(nodeOf('', urls)).toBeUndefined();
    expect(nodeOf({ id: 'n1' }, urls)).toBeUndefined();
    expect(nodeOf('__proto__', urls)).toBeUndefined();
  });

  it('on one host (loopback), by the exact client address', () => {
    const local = { n1: 'http://127.0.0.1:20001', n2: 'http://127.0.0.1:20002' };
    expect(nodeOf('127.0.0.1:20002', local)).toBe('n2');
    expect(nodeOf('http://127.0.0.1:20002/kv/put', local)).toBe('n2');
  });

  it('null when the answer names no node (an election is on); the next node in turn without a leader field', () => {
    expect(redirectTarget(null, urls, 'n1')).toBeNull();
    expect(redirectTarget('somewhere-else:80', urls, 'n1')).toBeNull();
    expect(redirectTarget('n3', urls, 'n1')).toBe('n3');
    expect(redirectTarget(undefined, urls, 'n1')).toBe('n2');
    expect(redirectTarget(undefined, urls, 'n3')).toBe('n1');
  });
});
