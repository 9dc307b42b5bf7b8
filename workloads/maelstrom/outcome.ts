// How the shim's answers and a Maelstrom node's replies map onto Jepsen's
// completion types. Pure.
//
// Shim answers (clusters/defined/maelstrom/shim.ts): 200 carries the node's
// reply; 503 and 400 mean the request never reached the node (fail); 502
// (the node died or wrote garbage after getting it) and 504 (no reply in
// time) leave its fate open (info). Replies: an error whose code Maelstrom
// calls definite is a fail, any other error (timeout 0, crash 13, unknown
// codes) is info. A read changes nothing, so a read that fails in any way is
// a fail, never info.
import { describeError, isDefiniteError, type MaelstromBody } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';

/** What POST /rpc to a shim answered. */
export interface ShimAnswer {
  status: number;
  /** The node's reply (status 200). */
  body?: MaelstromBody;
  /** The shim's explanation (other statuses). */
  error?: string;
}

/** Statuses that say the request was never handed to the node. */
const NOT_DELIVERED = new Set([400, 503]);

/** Did the shim say the request never reached the node? (The client backs off before reporting it.) */
export const notDelivered = (a: ShimAnswer): boolean => NOT_DELIVERED.has(a.status);

/** The reply body when it is of the expected type, else the completion the answer stands for. */
export function replyOrCompletion(a: ShimAnswer, expect: string, readOnly: boolean): { reply: MaelstromBody } | { completion: Completion } {
  const settle = (definite: boolean, error: string): { completion: Completion } => ({ completion: { type: definite || readOnly ? 'fail' : 'info', error } });
  if (a.status !== 200 || !a.body) {
    const error = a.status === 504 ? `timeout: ${a.error ?? 'no reply'}` : (a.error ?? `shim answered ${a.status}`);
    return settle(notDelivered(a), error);
  }
  if (a.body.type === expect) return { reply: a.body };
  if (a.body.type === 'error') return settle(typeof a.body.code === 'number' && isDefiniteError(a.body.code), describeError(a.body.code, a.body.text));
  // A reply of another type: the node answered something else (a bug, or a reply meant for another request).
  return settle(false, `expected a ${expect} reply, got ${JSON.stringify(a.body).slice(0, 200)}`);
}
