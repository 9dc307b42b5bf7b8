// Public surface of the Elle-style transactional checker (pure: no I/O).
export { checkElle, checkListAppend, checkRwRegister, type ElleOptions } from './check.ts';
export { ANOMALY_NAMES, CONSISTENCY_MODELS, canonicalAnomaly, canonicalModel, ruledOut } from './models.ts';
export { ELLE_WORKLOADS } from './workload.ts';
export { opsFromEdn } from './from-edn.ts';
export { describeElleResult } from './describe.ts';
export { ednText, mopText } from './anomalies.ts';
export type { Anomaly, CycleStep, ElleDetails, ElleWorkload, MicroOp, TxnRef } from './types.ts';
