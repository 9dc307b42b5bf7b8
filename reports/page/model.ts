// The report's model: the small JSON block reports/report-data.ts wrote
// (verdicts, counts, faults, plot series, checker views), read once at load.
// The column table and the full records travel beside it (op-columns.ts, op-records.ts).
import type { ReportModel } from '../report-data.ts';

export const model: ReportModel = JSON.parse(document.getElementById('report-model')!.textContent!);
