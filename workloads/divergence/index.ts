// Public surface of workloads/divergence: the final-phase state collection
// that feeds checkers/divergence.ts, for any workload on etcd or raftkv.
//
//   withDivergence(workload, { nodeCount, source: (info) => etcdStateSource(info.urls), budgetMs })
export { withDivergence, stateHashGenerator, type DivergenceOptions } from './with-divergence.ts';
export type { StateSource } from './source.ts';
export { etcdStateSource } from './etcd-state.ts';
export { raftkvStateSource } from './raftkv-state.ts';
export { showValue } from './report.ts';
