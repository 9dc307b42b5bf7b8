// What one answer means for one op, by the definition's rules, in this order:
//   1. a redirect (the definition's `redirect.when`, or an HTTP 3xx with a
//      Location): the node did not take the op, send it again elsewhere
//   2. cas: `cas.mismatch` -> fail (nothing written); read: `read.notFound` -> ok null
//   3. an `info` entry -> info (a read: fail, it changed nothing)
//   4. a `fail` entry -> fail
//   5. 2xx -> ok (a read takes its value from `read.value`)
//   6. any other status -> info for write and cas, fail for a read.
// Why 6 says info even for a 4xx: a write recorded as failed that did happen
// makes a correct system look broken (false invalid), so only what the
// definition calls definite is a fail; an unknown outcome costs the checker
// time, never correctness. List the refusals you know in `fail`.
import { fieldOf, type HttpKvProtocol } from '../../clusters/index.ts';
import { answerMatches, describeAnswer, isSuccess, type KvAnswer } from './answer.ts';

export type RegisterF = 'read' | 'write' | 'cas';

export type Verdict =
  | { type: 'ok'; /** read only: the value read */ value?: unknown }
  | { type: 'fail'; error: string }
  | { type: 'info'; error: string }
  /** `leader`: what the answer names (null: nobody); undefined when the definition names no leader field. */
  | { type: 'redirect'; leader: unknown; error: string };

const isHttpRedirect = (a: KvAnswer): boolean => a.status >= 300 && a.status < 400 && a.location !== undefined;

/**
 * A value read, as the register workload wrote it: its values are integers, so
 * a decimal string ("5", from a store that holds strings) is that number.
 * Anything else is passed on as is: a value no write wrote makes the history
 * invalid, which is right whether the store or the definition is wrong.
 */
export function valueRead(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return v;
}

function readValue(p: HttpKvProtocol, a: KvAnswer): Verdict {
  if (a.json === undefined) return { type: 'fail', error: `read: the answer is not JSON (${describeAnswer(a)})` };
  const v = fieldOf(a.json, p.read.value);
  // A read that cannot be understood fails: reads change nothing, so that is always safe.
  if (v === undefined) return { type: 'fail', error: `read: the answer has no field ${JSON.stringify(p.read.value)} (${describeAnswer(a)})` };
  return { type: 'ok', value: valueRead(v) };
}

export function verdictFor(f: RegisterF, p: HttpKvProtocol, a: KvAnswer): Verdict {
  const read = f === 'read';
  if (p.redirect && answerMatches(p.redirect.when, a)) {
    const leader = p.redirect.leader === undefined ? undefined : (a.json === undefined ? undefined : fieldOf(a.json, p.redirect.leader)) ?? null;
    return { type: 'redirect', leader, error: `redirect: ${describeAnswer(a)}` };
  }
  if (isHttpRedirect(a)) return { type: 'redirect', leader: a.location, error: `redirect: ${describeAnswer(a)} to ${a.location}` };
  if (f === 'cas' && p.cas && answerMatches(p.cas.mismatch, a)) return { type: 'fail', error: 'cas-mismatch' };
  if (read && p.read.notFound && answerMatches(p.read.notFound, a)) return { type: 'ok', value: null };
  if (p.info.some((m) => answerMatches(m, a))) return { type: read ? 'fail' : 'info', error: describeAnswer(a) };
  if (p.fail.some((m) => answerMatches(m, a))) return { type: 'fail', error: describeAnswer(a) };
  if (isSuccess(a)) return read ? readValue(p, a) : { type: 'ok' };
  return { type: read ? 'fail' : 'info', error: describeAnswer(a) };
}
