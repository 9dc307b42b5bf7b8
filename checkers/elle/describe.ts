// Plain-text lines for a person reading an elle result in a terminal: the
// models ruled out, then one explained example per anomaly type.
import type { CheckResult } from '../result.ts';
import type { ElleDetails } from './types.ts';

export function describeElleResult(result: CheckResult, examplesPerType = 1): string[] {
  const d = result.details as ElleDetails | undefined;
  if (!d) return [];
  const lines: string[] = [];
  if (d.not.length) lines.push(`ruled out: ${d.not.join(', ')}${d.alsoNot.length ? ` (and so ${d.alsoNot.join(', ')})` : ''}`);
  // Results stored before anomalies could be asked for lack the field.
  if (d.anomaliesFound?.length) lines.push(`asked-for anomalies present: ${d.anomaliesFound.join(', ')}`);
  for (const type of d.anomalyTypes) {
    lines.push(`${type} (${d.anomalyCounts[type]}):`);
    for (const a of d.anomalies[type].slice(0, examplesPerType)) lines.push(`  ${a.explanation}`);
  }
  for (const limit of d.limits ?? []) lines.push(`note: ${limit}`);
  return lines;
}
