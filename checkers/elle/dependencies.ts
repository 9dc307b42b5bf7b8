// What a data analysis (list-append, rw-register) hands to the cycle search:
// it has already added ww/wr/rw edges to the graph and logged the anomalies it
// found without cycles; this explains an edge of a cycle afterwards.
import type { Key, Txn } from './types.ts';

export interface EdgeEvidence {
  key?: Key;
  value?: unknown;
  /** "T2 observed T1's append of 3 to key 7" (names come from the caller). */
  why: string;
}

export interface DataDependencies {
  explain(from: Txn, to: Txn, kind: number, names: ReadonlyMap<Txn, string>): EdgeEvidence | undefined;
  /** What this analysis cannot infer, shown next to a valid verdict. */
  limits: string[];
}
