// Public surface of checkers/: pure functions from a history to a verdict. No I/O here.
export * from './result.ts';
export * from './elle/index.ts';
export * from './linearizability/index.ts';
export * from './models/index.ts';
export * from './invariants/index.ts';
export * from './divergence.ts';
export * from './elections.ts';
export * from './faults.ts';
export * from './raft-protocol.ts';
export * from './watch/index.ts';
export { checkerFromSpec } from './registry.ts';
export { type Checker, type CheckerSpec } from './checker.ts';
export { runCheckers, unfinishedResults } from './run-checkers.ts';
export { checkerDescription, checkerNames, explainResult } from './registry.ts';
