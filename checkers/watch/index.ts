// Public surface of the watch checker: etcd's watch guarantees over a history
// of the watch workload (workloads/watch). Pure: history in, verdict out.
export { checkWatch, MAX_VIOLATIONS, type WatchDetails, type WatcherSummary } from './check.ts';
export * from './types.ts';
