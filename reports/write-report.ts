// writeReport(runDir): the run folder's report.html, from its files.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { loadReport } from './report-data.ts';
import { renderReportParts } from './html.ts';
import { RUN_FILES } from '../harness/run-folder/index.ts';

export interface WrittenFile {
  path: string;
  bytes: number;
}

/** Reads test.json, history.jsonl, results.json and nodes/ of `runDir`; writes `runDir/report.html`. */
export async function writeReport(runDir: string, file = path.join(runDir, RUN_FILES.report)): Promise<WrittenFile> {
  const payload = await loadReport(runDir);
  return writeParts(file, renderReportParts(payload));
}

/** Streams string parts to a file (a 1M-op report is tens of MB: no giant concatenation). */
export async function writeParts(file: string, parts: readonly string[]): Promise<WrittenFile> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let bytes = 0;
  for (const part of parts) {
    bytes += Buffer.byteLength(part);
    if (!out.write(part)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return { path: path.resolve(file), bytes };
}
