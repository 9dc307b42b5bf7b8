// Public surface of workloads/. Filled in as modules land.
export {};
export * from './set/index.ts';
export * from './bank/index.ts';
export * from './counter/index.ts';
export * from './append/index.ts';
export * from './wr-register/index.ts';
