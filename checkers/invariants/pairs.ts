// The one history walk every invariant checker starts from: client ops
// paired invoke -> completion, or the reason the history could not be paired
// (a malformed history is the 'history' checker's finding; here it only
// makes the verdict unknown).
import { PairingError, pairOps, type OpPair } from '../../history/index.ts';
import type { History } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';

export type { OpPair };

/** Client op pairs in invoke order, or an 'unknown' result when the history cannot be paired. */
export function clientPairs(history: History, checker: string): OpPair[] | CheckResult {
  try {
    return pairOps(history).filter((p) => p.invoke.process !== 'nemesis');
  } catch (e) {
    if (!(e instanceof PairingError)) throw e;
    return { checker, valid: 'unknown', summary: `cannot pair the history's ops: ${e.message}` };
  }
}

/** Completion type of a pair; a never-completed op counts as info (it may still take effect). */
export function outcome(p: OpPair): 'ok' | 'fail' | 'info' {
  const t = p.completion?.type;
  return t === 'ok' || t === 'fail' ? t : 'info';
}

/** History index at which the op completed; Infinity when it never did. */
export function completedAt(p: OpPair): number {
  return p.completion?.index ?? Infinity;
}

/** How many examples a result keeps: enough to explain, small enough to read. */
export const MAX_EXAMPLES = 10;
