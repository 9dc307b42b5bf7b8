// How a fault is named in one short label: a partition or loss by the cut it
// made ("n1 n2 | n3", "n1 -x-> n2 (one-way)"), which says more than the nodes
// it touched; other faults by their nodes.
import type { ReportFault } from '../report-data.ts';

type Labelled = Pick<ReportFault, 'fault' | 'nodes' | 'description'>;

export function faultLabel(f: Labelled): string {
  if ((f.fault === 'partition' || f.fault === 'loss') && f.description) return f.description;
  return f.nodes.join(' ') || f.fault;
}

/** The fault kind and its label, e.g. "partition (n1 | n2 n3)". */
export function faultWithLabel(f: Labelled): string {
  const label = faultLabel(f);
  return label === f.fault ? f.fault : `${f.fault} (${label})`;
}
