// Public surface of checkers/models: sequential specifications and a registry by name.
//
// Op conventions for faultline's own workloads (Jepsen's independent keys):
//   f 'read'  value [key, nil] on invoke, [key, v] on ok
//   f 'write' value [key, v]
//   f 'cas'   value [key, [from, to]]   (a cas that did not apply is :fail)
// checked with the model 'kv-cas-register' (or 'kv-register'), partitioned by key.
export type { Call, Model } from './model.ts';
export { describeCall, describeState, stateKey, show } from './model.ts';
export { casRegisterModel, registerModel, type RegisterOptions } from './register.ts';
export { independent, keyOf } from './independent.ts';
export { kvModel } from './kv.ts';
export { multiRegisterModel, type MultiRegisterOptions } from './multi-register.ts';
export { setModel, unorderedQueueModel, fifoQueueModel } from './collections.ts';
export { mutexModel } from './mutex.ts';

export { modelByName, modelDescription, modelNames, type ModelOptions, type ModelSpec } from './registry.ts';
