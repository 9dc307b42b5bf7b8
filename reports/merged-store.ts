// `faultline merge`'s I/O: read each shard store's summary.json, apply the
// rules (merge-stores.ts), then write one store that `faultline serve` shows
// like any other: every run folder copied whole (report.html included),
// summary.json over all runs and junit.xml through the usual JUnit writer.
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../history/index.ts';
import { RUN_FILES, writeJson } from '../harness/run-folder/index.ts';
import { writeJUnit } from './junit.ts';
import { mergeStoreSummaries, type MergeInput } from './merge-stores.ts';
import { readStoreSummary, type StoreSummary } from './store-summary.ts';
import type { WrittenFile } from './written-file.ts';

export const MERGED_JUNIT = 'junit.xml';

export interface MergedStore {
  dir: string;
  summary: StoreSummary;
  inputs: MergeInput[];
  junit: WrittenFile;
}

/** Merges the stores into `out` (absent or empty); refuses with a UserError before writing anything. */
export async function mergeStores(stores: readonly string[], out: string): Promise<MergedStore> {
  const inputs: MergeInput[] = [];
  for (const store of stores) inputs.push({ store, summary: await readStoreSummary(store) });
  const outDir = path.resolve(out);
  for (const store of stores) {
    if (path.resolve(store) === outDir) throw new UserError(`--out ${out} is one of the stores being merged`);
  }
  const plan = mergeStoreSummaries(inputs);
  for (const { from } of plan.runs) {
    const dir = path.join(from.store, from.run);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new UserError(`${from.store}: summary.json lists run ${from.run}, but ${dir} is missing`);
  }
  const existing = await readdir(outDir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  if (existing.length) throw new UserError(`--out ${out} is not empty`, 'merge writes a fresh store: name a new folder');

  await mkdir(outDir, { recursive: true });
  for (const { from, to } of plan.runs) await cp(path.join(from.store, from.run), path.join(outDir, to), { recursive: true, errorOnExist: true, force: false });
  writeJson(path.join(outDir, RUN_FILES.summary), plan.summary);
  const junit = await writeJUnit(plan.summary.runs.map((r) => path.join(outDir, r.run)), path.join(outDir, MERGED_JUNIT));
  return { dir: outDir, summary: plan.summary, inputs, junit };
}
