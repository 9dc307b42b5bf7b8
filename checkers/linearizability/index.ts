// Public surface of checkers/linearizability: the WGL checker and its result types.
export { checkLinearizability, type CheckOptions } from './check.ts';
export { checkLinearizabilityParallel, type ParallelOptions } from './parallel.ts';
export { prepare, HistoryError, type PreparedOp, type Partition } from './prepare.ts';
export { describeLinearizabilityResult } from './describe.ts';
export { shrinkCounterexample, withSmallestStory, type ShrinkOptions } from './shrink.ts';
export type * from './result.ts';
