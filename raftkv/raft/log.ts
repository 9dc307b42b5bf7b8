// The in-memory Raft log: a snapshot prefix (index + term only) followed by
// entries. It also remembers the lowest index changed since the host last
// persisted, so the core can hand out exactly what must be written.
import type { Entry, SnapshotMeta } from './messages.ts';

export class RaftLog {
  /** Everything up to snapshot.index is compacted away. */
  private snapshot: SnapshotMeta;
  /** entries[i] has index snapshot.index + 1 + i. */
  private entries: Entry[];
  /** Lowest index written or overwritten since the last takeUnstable(); Infinity when none. */
  private unstableFrom = Infinity;

  constructor(snapshot: SnapshotMeta = { index: 0, term: 0 }, entries: Entry[] = []) {
    this.snapshot = { ...snapshot };
    this.entries = entries.filter((e) => e.index > snapshot.index);
    this.entries.forEach((e, i) => {
      if (e.index !== snapshot.index + 1 + i) throw new Error(`log gap at index ${e.index}`);
    });
  }

  get snapshotIndex(): number {
    return this.snapshot.index;
  }
  get snapshotTerm(): number {
    return this.snapshot.term;
  }
  get lastIndex(): number {
    return this.snapshot.index + this.entries.length;
  }
  get lastTerm(): number {
    return this.term(this.lastIndex) ?? 0;
  }

  /** Term of the entry at `index`, or undefined when it is compacted or beyond the end. */
  term(index: number): number | undefined {
    if (index === this.snapshot.index) return this.snapshot.term;
    return this.entry(index)?.term;
  }

  entry(index: number): Entry | undefined {
    return this.entries[index - this.snapshot.index - 1];
  }

  /** Entries with from <= index < to (clipped to what the log holds). */
  slice(from: number, to: number = this.lastIndex + 1): Entry[] {
    const base = this.snapshot.index + 1;
    return this.entries.slice(Math.max(from, base) - base, Math.max(to, base) - base);
  }

  /** First index holding `term`, scanning back from `index` (for the back-off hint). */
  firstIndexOfTerm(term: number, index: number): number {
    let i = index;
    while (i - 1 > this.snapshot.index && this.term(i - 1) === term) i--;
    return i;
  }

  /** Last index whose entry has `term`, or 0 when the log holds none. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.lastIndex; i > this.snapshot.index; i--) {
      const t = this.term(i)!;
      if (t === term) return i;
      if (t < term) return 0;
    }
    return 0;
  }

  /** Is a candidate whose log ends at (lastIndex, lastTerm) at least as up to date as this log? */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  append(entry: Entry): void {
    if (entry.index !== this.lastIndex + 1) throw new Error(`append at ${entry.index}, log ends at ${this.lastIndex}`);
    this.entries.push(entry);
    this.unstableFrom = Math.min(this.unstableFrom, entry.index);
  }

  /**
   * Merge entries a leader sent after prevIndex: skip those already present
   * with the same term, cut the log at the first conflict and append the rest.
   * Entries beyond the merged ones stay (a reordered older message must not
   * cut a longer matching log). Returns the index of the first conflict cut, if any.
   */
  merge(incoming: Entry[]): number | undefined {
    let cut: number | undefined;
    for (const e of incoming) {
      if (e.index <= this.snapshot.index) continue;
      const existing = this.term(e.index);
      if (existing === e.term) continue;
      if (existing !== undefined) {
        cut = e.index;
        this.entries.length = e.index - this.snapshot.index - 1;
      }
      this.append(e);
    }
    return cut;
  }

  /**
   * Drop every entry after `index` (only the append-truncates-suffix mutant
   * does this without a conflict). The entry at `index` is handed out again,
   * so the durable log, where a rewritten index replaces everything after it,
   * drops them too.
   */
  truncateAfter(index: number): void {
    if (index >= this.lastIndex) return;
    this.entries.length = Math.max(0, index - this.snapshot.index);
    this.unstableFrom = Math.min(this.unstableFrom, index);
  }

  /** Drop entries up to `meta.index`, keeping later ones (local compaction, or a snapshot matching our log). */
  compact(meta: SnapshotMeta): void {
    this.entries = this.slice(meta.index + 1);
    this.snapshot = { ...meta };
  }

  /** Throw the whole log away and start after the snapshot (a snapshot our log does not contain). */
  reset(meta: SnapshotMeta): void {
    this.entries = [];
    this.snapshot = { ...meta };
    this.unstableFrom = Infinity;
  }

  /** Entries changed since the last call (to persist), from their lowest index on. */
  takeUnstable(): Entry[] {
    if (this.unstableFrom === Infinity) return [];
    const out = this.slice(this.unstableFrom);
    this.unstableFrom = Infinity;
    return out;
  }

  hasUnstable(): boolean {
    return this.unstableFrom !== Infinity;
  }
}
