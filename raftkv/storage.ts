// Durable Raft state in a data directory (every record sealed with its
// CRC-32, checksum.ts: a damaged record is refused, not applied or cut):
//   hardstate.json  term + vote, replaced atomically (write temp, fsync, rename)
//   log.jsonl       append-only entries; a record for an index already present
//                   replaces it and everything after it (how truncation is logged)
//   snapshot.json   the latest snapshot, replaced atomically
// save() returns only once everything is fsynced, so a node never
// acknowledges what a crash could take back.
//
// Seeded bugs living here:
//   no-fsync          save() only buffers in process memory; a timer writes the
//                     buffer out later, so a SIGKILL loses acknowledged writes.
//   skip-fsync        every write reaches the filesystem at once, nothing is
//                     fsynced: a SIGKILL loses nothing, a power loss (the
//                     lose-unsynced filesystem, disk/) loses acknowledged writes.
//   no-checksum       load() ignores the checksums: a damaged log is cut at
//                     the first record that does not parse, a damaged record
//                     that still parses is applied (--nemesis corrupt).
//   apply-index-race  the applied state machine (state.json) and the applied index
//                     (applied-index) are written at different moments, and
//                     recovery trusts the pair.
// Mutants living here (mutants.ts): vote-not-persisted, truncation-lost-on-restart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Bugs } from './bugs.ts';
import { CorruptRecord, seal, unseal } from './checksum.ts';
import { NO_MUTANTS, type MutantName, type Mutants } from './mutants.ts';
import type { Entry, HardState, NodeId, Snapshot } from './raft/messages.ts';

/** What a restart finds on disk. */
export interface Recovered {
  hardState?: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
  /** apply-index-race only: a state-machine image and the index it is *believed* to be at. */
  appliedState?: { index: number; image: unknown };
  /** vote-not-persisted only: the vote of the recovered term that the restart forgot. */
  forgottenVote?: { term: number; votedFor: NodeId };
  /** Mutants that acted in this recovery (mutants.ts MutantAct). */
  mutantsActed: MutantName[];
}

/** The persistable part of a Ready. */
export interface Persist {
  hardState?: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
}

const FILES = {
  hardState: 'hardstate.json',
  log: 'log.jsonl',
  snapshot: 'snapshot.json',
  appliedIndex: 'applied-index',
  appliedState: 'state.json',
  /** vote-not-persisted only: the vote the mutant keeps out of hardstate.json, to count its acts (never restored). */
  forgottenVote: 'mutant-forgotten-vote.json',
} as const;

/**
 * How often the no-fsync bug writes its buffer out. Long, like the kernel's
 * own lazy writeback (dirty_expire_centisecs is 30 s by default), so a kill
 * during a short run reliably lands inside the window; at 1 s the nodes'
 * staggered flushes often left nothing acknowledged to lose.
 */
const LAZY_FLUSH_MS = 10_000;

/** Replace a file atomically and durably: temp file, fsync, rename, fsync the directory. */
export function writeFileAtomic(file: string, content: string, durable = true): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, content);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (durable) fsyncDir(path.dirname(file));
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A whole-file record (hard state, snapshot): absent is undefined, damaged throws (unless `verify` is off: no-checksum). */
function readJson<T>(file: string, verify: boolean): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const json = unseal(text, path.basename(file), verify);
  try {
    return JSON.parse(json) as T;
  } catch (err) {
    throw new CorruptRecord(`${path.basename(file)}: ${(err as Error).message}`);
  }
}

/** The text of a whole-file record, sealed. */
const sealJson = (value: unknown): string => seal(JSON.stringify(value));
/** One log record: sealed, newline-terminated. */
const logRecord = (e: Entry): string => seal(JSON.stringify(e)) + '\n';

export class Storage {
  private logFd: number;
  private readonly lazy: boolean;
  /** false under skip-fsync: every write reaches the filesystem, none is fsynced. */
  private readonly durable: boolean;
  /** false under no-checksum: records are trusted as read. */
  private readonly verify: boolean;
  /** no-fsync: what save() accepted but nothing has written yet. */
  private buffered = { log: '', hardState: undefined as HardState | undefined };
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly bugs: Bugs,
    private readonly mutants: Mutants = NO_MUTANTS,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.lazy = bugs.has('no-fsync');
    this.durable = !bugs.has('skip-fsync');
    this.verify = !bugs.has('no-checksum');
    this.logFd = fs.openSync(this.file('log'), 'a');
    if (this.lazy) {
      this.flushTimer = setInterval(() => this.flush(false), LAZY_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  private file(name: keyof typeof FILES): string {
    return path.join(this.dir, FILES[name]);
  }

  // ---- recovery -----------------------------------------------------------

  load(): Recovered {
    const hardState = readJson<HardState>(this.file('hardState'), this.verify);
    const snapshot = readJson<Snapshot>(this.file('snapshot'), this.verify);
    const mutantsActed: MutantName[] = [];
    const entries = this.loadLog(snapshot?.meta.index ?? 0, mutantsActed);
    const recovered: Recovered = { hardState, snapshot, entries, mutantsActed };
    if (this.mutants.has('vote-not-persisted') && hardState) {
      const kept = readJson<HardState>(this.file('forgottenVote'), this.verify);
      if (kept?.votedFor && kept.term === hardState.term) recovered.forgottenVote = { term: kept.term, votedFor: kept.votedFor };
    }
    if (this.bugs.has('apply-index-race')) {
      const index = readJson<number>(this.file('appliedIndex'), this.verify);
      const image = readJson<unknown>(this.file('appliedState'), this.verify);
      // The bug: trust the pair although nothing ties the image to that index.
      if (index !== undefined && image !== undefined && index >= (snapshot?.meta.index ?? 0)) {
        recovered.appliedState = { index, image };
      }
    }
    return recovered;
  }

  /**
   * Replay log.jsonl. A torn last record (crash mid-write: no newline yet) is
   * cut off so later appends start clean; a complete record that fails its
   * checksum was damaged after it was written, and recovery refuses it.
   */
  private loadLog(snapshotIndex: number, mutantsActed: MutantName[]): Entry[] {
    const text = fs.readFileSync(this.file('log'), 'utf8');
    const entries: Entry[] = [];
    /** How long the log would be had every rewrite cut the entries after it (truncation-lost-on-restart's acts). */
    let ruleLength = 0;
    let validBytes = 0;
    // Only newline-terminated records count: the text after the last newline is torn.
    for (const [n, line] of text.split('\n').slice(0, -1).entries()) {
      let e: Entry;
      try {
        e = JSON.parse(unseal(line, `${FILES.log} record ${n + 1} (byte ${validBytes})`, this.verify)) as Entry;
      } catch (err) {
        if (!this.verify) break; // no-checksum: cut here, as if the rest were torn
        throw err instanceof CorruptRecord ? err : new CorruptRecord(`${FILES.log} record ${n + 1} (byte ${validBytes}): ${(err as Error).message}`);
      }
      validBytes += Buffer.byteLength(line) + 1;
      if (e.index <= snapshotIndex) continue;
      const first = snapshotIndex + 1;
      if (e.index > first + entries.length) throw new Error(`${FILES.log}: gap before index ${e.index}`);
      // mutant truncation-lost-on-restart: a rewritten index replaces that entry alone; the ones after it come back.
      if (this.mutants.has('truncation-lost-on-restart') && e.index < first + entries.length) {
        ruleLength = e.index - first + 1;
        entries[e.index - first] = e;
        continue;
      }
      entries.length = e.index - first; // a rewrite of index i replaces i and everything after it
      entries.push(e);
      ruleLength = entries.length;
    }
    // The rule's log is always a prefix of the mutant's: longer means a truncated suffix came back.
    if (entries.length > ruleLength) mutantsActed.push('truncation-lost-on-restart');
    if (validBytes < Buffer.byteLength(text)) fs.truncateSync(this.file('log'), validBytes);
    return entries;
  }

  // ---- writes -------------------------------------------------------------

  /** Persist a Ready's durable part; durable on return (unless the no-fsync bug is on). */
  save(p: Persist): void {
    if (p.snapshot) {
      this.saveSnapshot(p.snapshot, p.entries);
    } else if (p.entries.length > 0) {
      const records = p.entries.map(logRecord).join('');
      if (this.lazy) this.buffered.log += records;
      else fs.writeSync(this.logFd, records);
    }
    if (p.hardState) {
      // mutant vote-not-persisted: the term is written, the vote is not (a restart forgets whom it voted for).
      const hardState = this.mutants.has('vote-not-persisted') ? { ...p.hardState, votedFor: null } : p.hardState;
      if (hardState !== p.hardState) writeFileAtomic(this.file('forgottenVote'), sealJson(p.hardState), this.durable);
      if (this.lazy) this.buffered.hardState = hardState;
      else writeFileAtomic(this.file('hardState'), sealJson(hardState), this.durable);
    }
    if (!this.lazy && this.durable && p.entries.length > 0 && !p.snapshot) fs.fdatasyncSync(this.logFd);
  }

  /** Store a snapshot and rewrite the log to hold exactly `entries` (those after it). */
  saveSnapshot(snapshot: Snapshot, entries: Entry[]): void {
    this.flush(true);
    writeFileAtomic(this.file('snapshot'), sealJson(snapshot), this.durable);
    writeFileAtomic(this.file('log'), entries.map(logRecord).join(''), this.durable);
    fs.closeSync(this.logFd);
    this.logFd = fs.openSync(this.file('log'), 'a');
  }

  /** apply-index-race: the applied index, written as entries are applied. */
  saveAppliedIndex(index: number): void {
    // Whole-file replace too: a kill between truncate and write would leave an empty file and a crash loop.
    writeFileAtomic(this.file('appliedIndex'), sealJson(index), false);
  }

  /** apply-index-race: the state machine image, written on its own timer. */
  saveAppliedState(image: unknown): void {
    // Replaced whole (rename), so a kill never leaves a torn file: the bug is the gap between index and state, not a crash loop.
    writeFileAtomic(this.file('appliedState'), sealJson(image), false);
  }

  /** Write out what the no-fsync bug buffered (fsynced only when `durable`). */
  flush(wantDurable: boolean): void {
    const durable = wantDurable && this.durable;
    if (this.buffered.log) {
      fs.writeSync(this.logFd, this.buffered.log);
      if (durable) fs.fdatasyncSync(this.logFd);
      this.buffered.log = '';
    }
    if (this.buffered.hardState) {
      writeFileAtomic(this.file('hardState'), sealJson(this.buffered.hardState), durable);
      this.buffered.hardState = undefined;
    }
  }

  close(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flush(true);
    fs.closeSync(this.logFd);
  }
}
