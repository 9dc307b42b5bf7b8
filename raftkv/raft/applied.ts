// Which entries a node applied to its state machine, as one log line per
// batch, so the harness can hold the members to State Machine Safety (Raft
// §5.4.3: no two members ever apply different entries at one index). An
// entry is named by its term and a digest of its command: the term alone
// would not tell two entries apart that a broken election put in one term.
// Like coverage lines, these go to the node's log, which outlives a SIGKILL.
import type { Entry, SnapshotMeta } from './messages.ts';

/** `term:digest` of one entry; a snapshot's last entry is known by its term alone (`term:`). */
export function entryId(term: number, command?: unknown): string {
  return command === undefined ? `${term}:` : `${term}:${fnv1a(JSON.stringify(command) ?? '')}`;
}

/** The line for a snapshot installed in place of entries: its last entry, by term. */
export function appliedSnapshotLine(meta: SnapshotMeta): string {
  return line(meta.index, [entryId(meta.term)]);
}

/** The lines for a batch of applied entries: one per run of consecutive indexes. */
export function appliedLines(entries: readonly Entry[]): string[] {
  const lines: string[] = [];
  let run: Entry[] = [];
  const flush = () => {
    if (run.length) lines.push(line(run[0].index, run.map((e) => entryId(e.term, e.command))));
    run = [];
  };
  for (const e of entries) {
    if (run.length && e.index !== run[run.length - 1].index + 1) flush();
    run.push(e);
  }
  flush();
  return lines;
}

function line(from: number, ids: string[]): string {
  return `applied ${JSON.stringify({ from, entries: ids })}`;
}

/** 32-bit FNV-1a, hex: enough to tell two commands apart in a run's log, cheap per entry. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
