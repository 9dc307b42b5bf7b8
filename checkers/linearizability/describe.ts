// A failed linearizability result as terminal lines: per refuted partition,
// the tail of the longest linearizable prefix, the ops none of which could go
// next and why, and the op that returned before any order could include it;
// then the smallest story, when the checker shrank the counterexample.
import type { CheckResult } from '../result.ts';
import { clip } from './check.ts';
import type { LinearizabilityResult } from './result.ts';

export function describeLinearizabilityResult(result: CheckResult): string[] {
  const r = result as LinearizabilityResult;
  const lines: string[] = [];
  for (const p of r.details?.partitions?.filter((x) => x.valid === false) ?? []) {
    const ce = p.counterexample;
    if (!ce) continue;
    const where = p.key === null ? '' : `key ${JSON.stringify(p.key)}: `;
    const tail = ce.longestPrefix.slice(-5);
    const opText = new Map((p.ops ?? []).map((o) => [o.op, `${o.description} (process ${o.process})`]));
    lines.push(`${where}longest linearizable prefix: ${ce.longestPrefix.length} of ${p.opCount} ops${tail.length < ce.longestPrefix.length ? ', ending' : ''}:`);
    for (const s of tail) lines.push(`    op ${s.op}: ${opText.get(s.op) ?? ''}  => ${clip(s.state, 90)}`);
    lines.push(`  then none of these could go next:`);
    for (const s of ce.stuck.slice(0, 6)) lines.push(`    op ${s.op}: ${opText.get(s.op) ?? s.description}: ${clip(s.reason, 120)}`);
    if (ce.stuck.length > 6) lines.push(`    ... ${ce.stuck.length - 6} more`);
    if (ce.blockingOp !== null) lines.push(`  op ${ce.blockingOp} returned before any order of them could include it.`);
  }
  const story = r.details?.minimal;
  if (story) {
    lines.push(`Smallest story (${story.opCount} of ${story.originalOpCount} ops):`);
    for (const line of story.explanation) lines.push(`  ${line}`);
  }
  return lines;
}
