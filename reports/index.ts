// Public surface of reports/: the HTML report, summary.json, JUnit XML, and
// the store index behind `faultline serve`.
export { writeReport, type WrittenFile } from './write-report.ts';
export { writeSummary, buildSummary, type RunSummary } from './summary.ts';
export { writeJUnit, renderJUnit } from './junit.ts';
export { loadReport, type ReportModel, type ReportPayload } from './report-data.ts';
