// Public surface of reports/: the HTML report, summary.json, JUnit XML, and
// the store index behind `faultline serve`.
export { writeReport } from './write-report.ts';
export type { WrittenFile } from './written-file.ts';
export { writeSummary, buildSummary, type RunSummary } from './summary.ts';
export { writeJUnit, renderJUnit, type JUnitUnreadable } from './junit.ts';
export { loadReport, type ReportModel, type ReportPayload } from './report-data.ts';

import { writeReport as writeReportFile } from './write-report.ts';
import { writeSummary as writeSummaryFile } from './summary.ts';

/** Everything a finished run folder gets for people and CI: report.html and summary.json. */
export async function writeRunArtifacts(runDir: string): Promise<{ report: string; summary: string }> {
  const report = await writeReportFile(runDir);
  const summary = await writeSummaryFile(runDir);
  return { report: report.path, summary: summary.path };
}
export { startStoreServer } from './server.ts';
export { buildStoreSummary, canonicalDefinition, readStoreSummary, writeStoreSummary, type StoreRunEntry, type StoreSummary } from './store-summary.ts';
export { mergeStoreSummaries, type MergeInput, type MergedRun, type MergePlan } from './merge-stores.ts';
export { mergeStores, MERGED_JUNIT, type MergedStore } from './merged-store.ts';
