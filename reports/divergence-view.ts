// Turns a divergence checker result into a table the report draws: one row
// per node with the index and hash it reported, marked as the reference (the
// majority's member whose keys were compared), agreeing, divergent (with the
// first keys whose values differ) or missing (with why).
import type { CheckResult, Validity } from '../checkers/index.ts';
import type { DifferingKey, DivergenceDetails, EarlierDivergence } from '../checkers/index.ts';

export type DivergenceStatus = 'reference' | 'agrees' | 'divergent' | 'missing' | 'reported';

export interface DivergenceRow {
  node: string;
  /** What the node reported last (null: no report). */
  index: number | null;
  hash: string | null;
  status: DivergenceStatus;
  /** Why a missing node could not be compared. */
  reason: string | null;
  /** Operation id of a divergent member's state-hash op (opens its record), else -1. */
  id: number;
  differingKeys: DifferingKey[];
}

export interface DivergenceView {
  checker: string;
  /** Position of the result in results.json's checkers (its verdict banner). */
  resultIndex: number;
  valid: Validity;
  commonIndex: number | null;
  referenceHash: string | null;
  referenceNode: string | null;
  rows: DivergenceRow[];
  /** The first earlier index where the nodes' hash histories differed (set even when the final hashes agree). */
  earlier: EarlierDivergence | null;
}

export function divergenceViews(checkers: readonly CheckResult[], operationIdAt: (historyIndex: number) => number): DivergenceView[] {
  const views: DivergenceView[] = [];
  for (const [resultIndex, result] of checkers.entries()) {
    if (result.checker !== 'divergence' || !isDivergenceDetails(result.details)) continue;
    views.push({ ...divergenceView(result, result.details, operationIdAt), resultIndex });
  }
  return views;
}

function isDivergenceDetails(details: unknown): details is DivergenceDetails {
  const d = details as Partial<DivergenceDetails> | undefined;
  return typeof d === 'object' && d !== null && typeof d.reports === 'object' && d.reports !== null && Array.isArray(d.divergent);
}

export function divergenceView(result: CheckResult, d: DivergenceDetails, operationIdAt: (historyIndex: number) => number): Omit<DivergenceView, 'resultIndex'> {
  const divergent = new Map(d.divergent.map((m) => [m.node, m]));
  const missing = new Map((d.missing ?? []).map((m) => [m.node, m.reason]));
  const members = new Set(d.reference?.members ?? []);
  const nodes = [...new Set([...Object.keys(d.reports), ...missing.keys(), ...divergent.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const rows = nodes.map((node): DivergenceRow => {
    const report = d.reports[node];
    const odd = divergent.get(node);
    const status: DivergenceStatus = odd
      ? 'divergent'
      : missing.has(node)
        ? 'missing'
        : node === d.reference?.node
          ? 'reference'
          : members.has(node)
            ? 'agrees'
            : 'reported';
    return {
      node,
      index: report?.index ?? null,
      hash: odd?.hash ?? report?.hash ?? null,
      status,
      reason: missing.get(node) ?? null,
      id: odd ? operationIdAt(odd.op) : -1,
      differingKeys: odd?.firstDifferingKeys ?? [],
    };
  });
  return {
    checker: result.checker,
    valid: result.valid,
    commonIndex: d.commonIndex,
    referenceHash: d.reference?.hash ?? null,
    referenceNode: d.reference?.node ?? null,
    rows,
    earlier: d.earlier ?? null,
  };
}
