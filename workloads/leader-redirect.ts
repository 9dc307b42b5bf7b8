// Following "ask the leader instead" answers: what raftkv's clients and the
// http-kv client share. A redirect is an answer in which the node says it did
// not take the op (it is not the leader), so sending the op again elsewhere is
// safe; nothing else is ever retried (an op that may have been applied must
// not happen twice). The op's invoke and completion still bound every attempt.
import { delay } from '../clusters/index.ts';

/** One attempt's answer and, when it is a redirect, where it points. */
export interface Attempt<A> {
  answer: A;
  /**
   * undefined: not a redirect, the answer is final. A node name: retry there.
   * null (or a node that is not in the cluster, or the same node): no leader
   * known yet, an election is on: retry at the same node after a pause.
   */
  redirectTo?: string | null;
}

export interface RedirectOptions {
  /** The node the client is bound to: the first attempt goes there. */
  node: string;
  /** Whole-op budget, ms: attempts stop a little before it. */
  timeoutMs: number;
  /** Whether a name is a node of the cluster (a redirect elsewhere is not followed). */
  isNode: (name: string) => boolean;
}

/** Redirects followed per op: hops to the named leader, or pauses while an election names none. */
const MAX_HOPS = 8;
/** How long to wait for an election before asking again (raftkv elects within 300-600 ms). */
const ELECTION_PAUSE_MS = 100;
/**
 * A retry is only worth it with this share of the budget still left: a retry
 * cut short by the deadline would turn a definite redirect into an
 * indeterminate timeout (and a write into info) for nothing.
 */
const MIN_RETRY_SHARE = 0.25;
/** The client's own deadline, as a share of the op budget: it answers before the run loop gives up on it. */
const DEADLINE_SHARE = 0.9;

/**
 * Run `attempt(node, leftMs)` until it gives a final answer, following its
 * redirects. When the hops or the time run out, the last answer, a redirect,
 * is returned: the caller turns it into a fail (the op was never taken).
 */
export async function followRedirects<A>(o: RedirectOptions, attempt: (node: string, leftMs: number) => Promise<Attempt<A>>): Promise<A> {
  const deadline = Date.now() + o.timeoutMs * DEADLINE_SHARE;
  const minRequestMs = o.timeoutMs * MIN_RETRY_SHARE;
  let node = o.node;
  for (let hop = 0; ; hop++) {
    const { answer, redirectTo } = await attempt(node, Math.max(1, deadline - Date.now()));
    if (redirectTo === undefined || hop >= MAX_HOPS) return answer;
    const hopTo = redirectTo && redirectTo !== node && o.isNode(redirectTo) ? redirectTo : undefined;
    const pauseMs = hopTo ? 0 : ELECTION_PAUSE_MS; // no leader named yet: an election is on
    if (Date.now() + pauseMs + minRequestMs > deadline) return answer;
    if (hopTo) node = hopTo;
    else await delay(pauseMs);
  }
}
