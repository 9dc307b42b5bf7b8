// Public surface of harness/: core types, the run loop, generators, history recording.
export * from '../history/op.ts';
export { UserError } from '../history/index.ts';
export * from './test-definition.ts';
export * from '../generator/index.ts';
export * from '../history/index.ts';
export * from './run/index.ts';
export * from './run-folder/index.ts';
export { faultlineVersion, kernelVersion } from './versions.ts';
export { reproduceCommand, shellQuote } from './command-line.ts';
