// Runs every checker on the finished history. A checker that throws gives
// 'unknown' with the reason; it never takes the run down with it.
import { worstValidity, type CheckResult, type RunResults } from './result.ts';
import type { History } from '../history/index.ts';
import type { CheckContext, Checker } from './checker.ts';
import { errorText } from '../history/index.ts';

export async function runCheckers(checkers: readonly Checker[], history: History, ctx: CheckContext): Promise<RunResults> {
  if (checkers.length === 0) {
    return { valid: 'unknown', checkers: [{ checker: 'none', valid: 'unknown', summary: 'the workload has no checkers: nothing was verified' }] };
  }
  const results: CheckResult[] = [];
  for (const c of checkers) {
    try {
      results.push(await c.check(history, ctx));
    } catch (e) {
      results.push({ checker: c.name, valid: 'unknown', summary: `checker crashed: ${errorText(e)}` });
    }
  }
  return { valid: worstValidity(results.map((r) => r.valid)), checkers: results };
}

/** results.json of a run that did not get as far as checking. */
export function unfinishedResults(reason: string): RunResults {
  return { valid: 'unknown', checkers: [{ checker: 'run', valid: 'unknown', summary: reason }] };
}
