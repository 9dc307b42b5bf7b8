// Turns coverage.json into the table the report draws: one row per Raft
// event, in the fixed order, with its count over the run and per node; an
// event the DB cannot show is marked so (null), never drawn as 0.
import { COVERAGE_EVENTS, type Coverage, type CoverageEvent } from '../history/index.ts';

export interface CoverageRow {
  event: CoverageEvent;
  /** Times reached over the run; null: not observable for this DB. */
  count: number | null;
  /** The same per node, in CoverageView.nodes order (null: not observable). */
  perNode: Array<number | null>;
}

export interface CoverageView {
  source: string;
  nodes: string[];
  rows: CoverageRow[];
  notes: string[];
  /** Observable events reached at least once, and how many are observable. */
  reached: number;
  observable: number;
}

export function coverageView(coverage: Coverage): CoverageView {
  const nodes = Object.keys(coverage.perNode ?? {}).sort();
  const unsupported = new Set(coverage.unsupported);
  const rows = COVERAGE_EVENTS.map((event): CoverageRow => {
    const hidden = unsupported.has(event);
    return {
      event,
      count: hidden ? null : (coverage.events[event] ?? 0),
      perNode: nodes.map((node) => (hidden ? null : (coverage.perNode?.[node]?.[event] ?? 0))),
    };
  });
  const observable = rows.filter((r) => r.count !== null);
  return {
    source: coverage.source,
    nodes,
    rows,
    notes: coverage.notes,
    reached: observable.filter((r) => r.count! > 0).length,
    observable: observable.length,
  };
}
