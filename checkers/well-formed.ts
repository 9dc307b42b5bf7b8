// A checker for the history itself: dense indexes, monotonic times, every
// completion closing the last open invoke of its process. Any run's history
// must pass it; a failure means a harness bug, not a DB bug.
import type { CheckResult } from './result.ts';
import type { History } from '../history/index.ts';
import type { Checker } from './checker.ts';
import { PairingError, pairOps } from '../history/index.ts';

export function checkWellFormed(history: History): CheckResult {
  const problems: string[] = [];
  history.forEach((op, i) => {
    if (op.index !== i) problems.push(`op at line ${i + 1} has index ${op.index}`);
    if (i > 0 && op.time < history[i - 1].time) problems.push(`op ${op.index}: time goes backwards`);
  });
  let pairs = 0;
  let open = 0;
  try {
    const ps = pairOps(history);
    pairs = ps.length;
    open = ps.filter((p) => p.completion === undefined).length;
  } catch (e) {
    if (!(e instanceof PairingError)) throw e;
    problems.push(e.message);
  }
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of history) if (op.type !== 'invoke') counts[op.type]++;
  return {
    checker: 'history',
    valid: problems.length === 0,
    summary:
      problems.length === 0
        ? `${pairs} ops (${counts.ok} ok, ${counts.fail} fail, ${counts.info} info, ${open} never completed), well formed`
        : `malformed history: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
    details: { ops: pairs, ...counts, neverCompleted: open, problems: problems.slice(0, 100) },
  };
}

export const wellFormedChecker: Checker = { name: 'history', check: (h) => checkWellFormed(h) };
