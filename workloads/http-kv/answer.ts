// One HTTP answer as the http-kv client sees it, and whether it meets one of
// the definition's conditions (AnswerMatch: status, field, equals, text).
// Fields and JSON equality are the definition's own (clusters/defined), the
// same the leader probe uses.
import { fieldOf, sameJson, type AnswerMatch, type HttpAnswer } from '../../clusters/index.ts';

export interface KvAnswer extends HttpAnswer {
  /** The Location header, for HTTP redirects. */
  location?: string;
}

export function kvAnswer(status: number, text: string, location?: string): KvAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined; // not JSON: a field condition never holds
  }
  return { status, text, json, ...(location === undefined ? {} : { location }) };
}

export const isSuccess = (a: KvAnswer): boolean => a.status >= 200 && a.status < 300;

/** Whether every part `m` gives holds for `a`. A field condition never holds for an answer that is not JSON. */
export function answerMatches(m: AnswerMatch, a: KvAnswer): boolean {
  if (m.status !== undefined && !(Array.isArray(m.status) ? m.status : [m.status]).includes(a.status)) return false;
  if (m.text !== undefined && !a.text.includes(m.text)) return false;
  if (m.field === undefined && m.equals === undefined) return true;
  if (a.json === undefined) return false;
  const value = fieldOf(a.json, m.field ?? '');
  // An absent field equals null: etcd-like answers leave out what is empty.
  if (m.equals !== undefined) return sameJson(value ?? null, m.equals);
  return value !== undefined && value !== null;
}

/** The answer in a few words for a completion's error: status and the start of the body. */
export function describeAnswer(a: KvAnswer): string {
  const body = a.text.replace(/\s+/g, ' ').trim();
  return body ? `HTTP ${a.status}: ${body.length > 160 ? `${body.slice(0, 160)}...` : body}` : `HTTP ${a.status}`;
}
