// What an answer means for an op, by the definition's rules and in their
// order: redirect, cas mismatch / read of a missing key, info, fail, 2xx ok,
// and otherwise info for writes (it may have happened) and fail for reads
// (they change nothing). Checked on the raftkv-http example's own protocol
// and on a store with REST-style answers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpKvSchema, type HttpKvProtocol } from '../../clusters/defined/schema.ts';
import { kvAnswer } from '../../workloads/http-kv/answer.ts';
import { valueRead, verdictFor } from '../../workloads/http-kv/verdict.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/raftkv-http/system.json', import.meta.url), 'utf8')) as { client: unknown };
const raftkv: HttpKvProtocol = httpKvSchema.parse(example.client);
/** A REST-style store: 404 for a missing key, 412 for a cas mismatch, 421 + a leader address, 429 definitely refused. */
const rest: HttpKvProtocol = httpKvSchema.parse({
  protocol: 'http-kv',
  port: 9000,
  read: { method: 'GET', path: '/kv/{key}', value: 'node.value', notFound: { status: 404 } },
  write: { method: 'PUT', path: '/kv/{key}', body: { value: '{value}' } },
  cas: { method: 'PUT', path: '/kv/{key}?prev={from}', body: { value: '{to}' }, mismatch: { status: 412 } },
  redirect: { when: { status: 421 }, leader: 'leaderAddr' },
  fail: [{ status: 429 }],
  info: [{ status: 409, text: 'timed out' }],
});

const json = (status: number, body: unknown) => kvAnswer(status, JSON.stringify(body));

describe('http-kv verdicts, raftkv\'s answers (raftkv/client-api.ts)', () => {
  it('ok answers: a read takes its value, null for a key never written; writes and cas are ok', () => {
    expect(verdictFor('read', raftkv, json(200, { ok: true, index: 4, value: 7 }))).toEqual({ type: 'ok', value: 7 });
    expect(verdictFor('read', raftkv, json(200, { ok: true, index: 4, value: null }))).toEqual({ type: 'ok', value: null });
    expect(verdictFor('write', raftkv, json(200, { ok: true, index: 5 }))).toEqual({ type: 'ok' });
    expect(verdictFor('cas', raftkv, json(200, { ok: true, index: 6 }))).toEqual({ type: 'ok' });
  });

  it('not-leader is a redirect to the leader it names (null while an election is on), for reads and writes alike', () => {
    const notLeader = (leader: string | null) => json(503, { ok: false, outcome: 'fail', error: 'not-leader', leader });
    expect(verdictFor('write', raftkv, notLeader('n2'))).toMatchObject({ type: 'redirect', leader: 'n2' });
    expect(verdictFor('read', raftkv, notLeader(null))).toMatchObject({ type: 'redirect', leader: null });
    expect(verdictFor('cas', raftkv, json(503, { ok: false, outcome: 'fail', error: 'not-leader' }))).toMatchObject({ type: 'redirect', leader: null });
  });

  it('a cas mismatch is a fail; a commit timeout is info for a write, fail for a read; other refusals fail', () => {
    expect(verdictFor('cas', raftkv, json(409, { ok: false, outcome: 'fail', error: 'cas-mismatch', value: 3 }))).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(verdictFor('write', raftkv, json(504, { ok: false, outcome: 'info', error: 'timeout' }))).toMatchObject({ type: 'info' });
    expect(verdictFor('cas', raftkv, json(504, { ok: false, outcome: 'info', error: 'timeout' }))).toMatchObject({ type: 'info' });
    expect(verdictFor('read', raftkv, json(504, { ok: false, outcome: 'info', error: 'timeout' }))).toMatchObject({ type: 'fail' });
    expect(verdictFor('write', raftkv, json(409, { ok: false, outcome: 'fail', error: 'superseded' }))).toMatchObject({ type: 'fail', error: expect.stringContaining('superseded') });
  });
});

describe('http-kv verdicts, REST-style answers', () => {
  it('a 404 read is null; a 412 cas fails; 421 redirects to the address in the answer', () => {
    expect(verdictFor('read', rest, kvAnswer(404, 'key not found'))).toEqual({ type: 'ok', value: null });
    expect(verdictFor('cas', rest, kvAnswer(412, ''))).toEqual({ type: 'fail', error: 'cas-mismatch' });
    expect(verdictFor('write', rest, json(421, { leaderAddr: '10.9.0.3:7000' }))).toMatchObject({ type: 'redirect', leader: '10.9.0.3:7000' });
    expect(verdictFor('write', rest, kvAnswer(421, 'no json here'))).toMatchObject({ type: 'redirect', leader: null });
  });

  it('follows HTTP redirects that carry a Location, whatever the definition says', () => {
    expect(verdictFor('write', rest, kvAnswer(307, '', 'http://10.9.0.2:9000/kv/1'))).toMatchObject({ type: 'redirect', leader: 'http://10.9.0.2:9000/kv/1' });
    expect(verdictFor('write', rest, kvAnswer(304, ''))).toMatchObject({ type: 'info' }); // no Location: just another status
  });

  it('checks info before fail, and fail before the status: a 2xx listed as a failure is one', () => {
    const both: HttpKvProtocol = { ...rest, fail: [{ status: 200, field: 'ok', equals: false }, { text: 'timed out' }] };
    expect(verdictFor('write', both, json(409, { error: 'timed out' }))).toMatchObject({ type: 'info' });
    expect(verdictFor('write', both, json(200, { ok: false }))).toMatchObject({ type: 'fail' });
    expect(verdictFor('write', rest, kvAnswer(429, 'slow down'))).toMatchObject({ type: 'fail', error: 'HTTP 429: slow down' });
  });

  it('an answer nothing describes: info for a write or cas (it may have happened, 4xx included), fail for a read', () => {
    for (const status of [400, 418, 500, 502, 503]) {
      expect(verdictFor('write', rest, kvAnswer(status, 'oops')), `write ${status}`).toMatchObject({ type: 'info' });
      expect(verdictFor('cas', rest, kvAnswer(status, 'oops')), `cas ${status}`).toMatchObject({ type: 'info' });
      expect(verdictFor('read', rest, kvAnswer(status, 'oops')), `read ${status}`).toMatchObject({ type: 'fail' });
    }
  });

  it('a successful read it cannot understand is a failed read, never a made-up value', () => {
    expect(verdictFor('read', rest, kvAnswer(200, '<html>ok</html>'))).toMatchObject({ type: 'fail', error: expect.stringContaining('not JSON') });
    expect(verdictFor('read', rest, json(200, { node: {} }))).toMatchObject({ type: 'fail', error: expect.stringContaining('"node.value"') });
    expect(verdictFor('read', rest, json(200, { node: { value: null } }))).toEqual({ type: 'ok', value: null });
    expect(verdictFor('read', rest, json(200, { node: { value: '42' } }))).toEqual({ type: 'ok', value: 42 });
  });

  it('reads values as the register wrote them: integers, or their decimal text; anything else passes as it is', () => {
    expect(valueRead(5)).toBe(5);
    expect(valueRead('5')).toBe(5);
    expect(valueRead('-12')).toBe(-12);
    expect(valueRead('05x')).toBe('05x');
    expect(valueRead('5.0')).toBe('5.0');
    expect(valueRead('99999999999999999999')).toBe('99999999999999999999'); // not a safe integer: left alone
    expect(valueRead({ v: 1 })).toEqual({ v: 1 });
  });
});
