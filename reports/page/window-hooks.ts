// What the report page leaves on `window`: an API for people debugging a
// report from the devtools console (and for the browser tests), and the times
// at which rendering milestones were reached (bench/report.ts reads them).
import type { ReportModel } from '../report-data.ts';
import type { OpRecord } from './op-records.ts';

export interface ReportApi {
  model: ReportModel;
  loadRecord(id: number): Promise<OpRecord | null>;
  select(id: number): void;
  jumpTo(id: number): void;
}

declare global {
  interface Window {
    faultlineReport?: Readonly<ReportApi>;
    /** performance.now() when the verdicts, plots and sections were on the page. */
    __faultlineRenderedAt?: number;
    /** ... when the column table was decoded and drawn. */
    __faultlineColumnsAt?: number;
    /** ... when every Elle example was drawn. */
    __faultlineElleBuiltAt?: number;
  }
}
