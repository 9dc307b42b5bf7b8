// Public surface of harness/run-folder: one run's folder, its schema, writer and tolerant reader.
export { RUN_FILES, normalizeTestInfo, startEpochMs, type ImportedRunRecord, type NodeLogFile, type TestInfo, type TestRecord } from './schema.ts';
export { createRunDir, runTimestamp, safeName, writeCoverage, writeImportedRun, writeRaftTrace, writeJson, writeResults, writeTestRecord } from './write.ts';
export { exists, listNodeLogs, readCoverage, readJson, readRaftTrace, readResults, readRunHistory, readTestInfo, readTestRecord, type HistoryRead } from './read.ts';
