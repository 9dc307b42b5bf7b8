// The index of every run in a store (store/<test>/<timestamp>/), for
// `faultline serve`. Each run's entry is cached against its files' mtimes and
// the folder scan itself is reused for a short while, so a page view with
// hundreds of runs costs a few stats at most, not a re-read of every history.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Validity } from '../checkers/index.ts';
import { RUN_FILES } from '../harness/run-folder/index.ts';
import { readOrBuildSummary, type RunSummary } from './summary.ts';

export interface StoreRun {
  /** "<test>/<timestamp>": the URL path of the run under /runs/. */
  id: string;
  test: string;
  /** ISO start time (test.json, else parsed from the folder name). */
  time: string;
  valid: Validity;
  checkers: RunSummary['checkers'];
  ops: number;
  faults: number;
  durationMs: number;
  hasReport: boolean;
  /** Files at the top of the run folder (for raw links). */
  files: string[];
}

interface CachedRun {
  stamp: string;
  run: StoreRun;
}

export class StoreIndex {
  private readonly cache = new Map<string, CachedRun>();
  private listing: { at: number; runs: StoreRun[] } | undefined;

  constructor(
    readonly root: string,
    /** How long a folder scan is reused, ms. */
    private readonly maxAgeMs = 2000,
  ) {}

  async runs(): Promise<StoreRun[]> {
    if (this.listing && Date.now() - this.listing.at < this.maxAgeMs) return this.listing.runs;
    const runs: StoreRun[] = [];
    for (const dir of await runFolders(this.root)) {
      const run = await this.entry(dir).catch(() => undefined);
      if (run) runs.push(run);
    }
    runs.sort((a, b) => b.time.localeCompare(a.time));
    this.listing = { at: Date.now(), runs };
    return runs;
  }

  /** Absolute folder of a run id, or undefined if it is not a run of this store. */
  async folderOf(id: string): Promise<string | undefined> {
    return (await this.runs()).some((r) => r.id === id) ? path.join(this.root, ...id.split('/')) : undefined;
  }

  private async entry(dir: string): Promise<StoreRun> {
    const files = (await readdir(dir, { withFileTypes: true })).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
    const stamps = await Promise.all(
      [RUN_FILES.summary, RUN_FILES.results, RUN_FILES.test, RUN_FILES.history, RUN_FILES.report].map(async (f) => {
        const info = await stat(path.join(dir, f)).catch(() => undefined);
        return info ? `${info.mtimeMs}:${info.size}` : '-';
      }),
    );
    const stamp = stamps.join('|');
    const cached = this.cache.get(dir);
    if (cached?.stamp === stamp) return cached.run;
    const summary = await readOrBuildSummary(dir);
    const relative = path.relative(this.root, dir).split(path.sep);
    const run: StoreRun = {
      id: relative.join('/'),
      test: summary.name || relative[0],
      time: isoTime(summary.startTime) ?? timeFromFolder(relative[1]) ?? '',
      valid: summary.valid,
      checkers: summary.checkers,
      ops: summary.counts.operations,
      faults: summary.counts.faults,
      durationMs: summary.counts.durationMs,
      hasReport: files.includes(RUN_FILES.report),
      files,
    };
    this.cache.set(dir, { stamp, run });
    return run;
  }
}

/** store/<test>/<run>/ folders that hold at least one run file (store/latest is a link, skipped). */
async function runFolders(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const test of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!test.isDirectory()) continue;
    for (const run of await readdir(path.join(root, test.name), { withFileTypes: true }).catch(() => [])) {
      if (!run.isDirectory()) continue;
      const dir = path.join(root, test.name, run.name);
      const names = await readdir(dir).catch(() => [] as string[]);
      if (names.some((n) => n === RUN_FILES.test || n === RUN_FILES.history || n === RUN_FILES.results)) found.push(dir);
    }
  }
  return found;
}

function isoTime(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** 20261123T175800.123 -> 2026-11-23T17:58:00.123Z */
function timeFromFolder(name: string | undefined): string | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\.\d+)?/.exec(name ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z` : undefined;
}
