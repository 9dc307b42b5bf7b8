// An answer meets a definition's condition when every part given holds:
// status, a field equal to a value (JSON equality: 1 is not "1"), a field
// present, text in the body. Answers that are not JSON meet only status and
// text conditions.
import { describe, expect, it } from 'vitest';
import { answerMatches, describeAnswer, kvAnswer } from '../../workloads/http-kv/answer.ts';

const json = (status: number, body: unknown) => kvAnswer(status, JSON.stringify(body));

describe('http-kv answers', () => {
  it('parses a JSON body, and keeps a body that is not JSON (or empty) as text only', () => {
    expect(kvAnswer(200, '{"a":1}').json).toEqual({ a: 1 });
    expect(kvAnswer(200, 'null').json).toBe(null);
    expect(kvAnswer(502, '<html>Bad Gateway</html>').json).toBeUndefined();
    expect(kvAnswer(204, '').json).toBeUndefined();
    expect(kvAnswer(307, '', 'http://10.0.0.2:8080/kv').location).toBe('http://10.0.0.2:8080/kv');
  });

  it('matches on a status or any of several', () => {
    expect(answerMatches({ status: 404 }, json(404, {}))).toBe(true);
    expect(answerMatches({ status: [502, 503] }, json(503, {}))).toBe(true);
    expect(answerMatches({ status: [502, 503] }, json(500, {}))).toBe(false);
  });

  it('compares a field by JSON equality: a number is not its string, objects compare by content', () => {
    const a = json(409, { error: { code: 3, tags: ['x'] }, value: 5 });
    expect(answerMatches({ field: 'value', equals: 5 }, a)).toBe(true);
    expect(answerMatches({ field: 'value', equals: '5' }, a)).toBe(false);
    expect(answerMatches({ field: 'error', equals: { tags: ['x'], code: 3 } }, a)).toBe(true);
    expect(answerMatches({ field: 'error.code', equals: 3, status: 409 }, a)).toBe(true);
    expect(answerMatches({ field: 'error.code', equals: 3, status: 200 }, a)).toBe(false);
    expect(answerMatches({ field: 'error.tags.0', equals: 'x' }, a)).toBe(true);
  });

  it('counts an absent field as null, and a field alone as "present and not null"', () => {
    const a = json(200, { header: {}, count: 0, gone: null });
    expect(answerMatches({ field: 'kvs', equals: null }, a)).toBe(true);
    expect(answerMatches({ field: 'kvs.0.value', equals: null }, a)).toBe(true);
    expect(answerMatches({ field: 'kvs' }, a)).toBe(false);
    expect(answerMatches({ field: 'gone' }, a)).toBe(false);
    expect(answerMatches({ field: 'count' }, a)).toBe(true); // 0 is present
    expect(answerMatches({ equals: { header: {}, count: 0, gone: null } }, a)).toBe(true); // no field: the whole answer
  });

  it('never meets a field condition with an answer that is not JSON, but text conditions work on any body', () => {
    const html = kvAnswer(503, '<html>not leader</html>');
    expect(answerMatches({ field: 'error', equals: null }, html)).toBe(false);
    expect(answerMatches({ equals: null }, html)).toBe(false);
    expect(answerMatches({ text: 'not leader' }, html)).toBe(true);
    expect(answerMatches({ text: 'not leader', status: 500 }, html)).toBe(false);
  });

  it('describes an answer briefly for a completion error', () => {
    expect(describeAnswer(kvAnswer(503, ''))).toBe('HTTP 503');
    expect(describeAnswer(kvAnswer(409, '{"error":\n  "cas-mismatch"}'))).toBe('HTTP 409: {"error": "cas-mismatch"}');
    expect(describeAnswer(kvAnswer(500, 'x'.repeat(500)))).toHaveLength('HTTP 500: '.length + 163);
  });
});
