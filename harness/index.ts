// Public surface of harness/'s own files. Its sub-folders have surfaces of
// their own: run/ (the run loop), run-folder/ (one run's folder), systems/
// (the system table).
export type { TestDefinition } from './test-definition.ts';
export { analyzeRun } from './analyze.ts';
export { faultlineVersion, kernelVersion } from './versions.ts';
export { reproduceCommand, shellQuote } from './command-line.ts';
export { formatShard, parseShard, plannedRuns, runsOfShard, shardOfRun, type PlannedRun, type Shard } from './shard.ts';
