// Public surface of clusters/. Filled in as modules land.
export {};
export * as raftkv from './raftkv/index.ts';
