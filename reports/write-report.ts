// writeReport(runDir): the run folder's report.html, from its files.
import path from 'node:path';
import { loadReport } from './report-data.ts';
import { renderReportParts } from './html.ts';
import { RUN_FILES } from '../harness/run-folder/index.ts';
import { writeParts, type WrittenFile } from './written-file.ts';

/** Reads test.json, history.jsonl, results.json and nodes/ of `runDir`; writes `runDir/report.html`. */
export async function writeReport(runDir: string, file = path.join(runDir, RUN_FILES.report)): Promise<WrittenFile> {
  const payload = await loadReport(runDir);
  return writeParts(file, renderReportParts(payload));
}
