// Public surface of harness/: core types, the run loop, generators, history recording.
export * from './op.ts';
export { UserError } from './errors.ts';
