// Public surface of harness/history: recording and reading history.jsonl.
export { monotonicClock, type Clock } from './clock.ts';
export { HistoryRecorder } from './recorder.ts';
export { readHistory } from './reader.ts';
export { pairOps, PairingError, type OpPair } from './pairs.ts';
export { type Completion, type FaultEffect, type FaultEvidence, type FaultValue, type History, type JsonValue, type Op, type OpType } from './op.ts';
export { UserError, errorText } from './errors.ts';
export { type Process } from './op.ts';
export { COVERAGE_EVENTS, countEvent, coverageOfNodes, isCoverageEvent, type Coverage, type CoverageCounts, type CoverageEvent } from './coverage.ts';
export { isRaftTrace, traceOfNodes, type RaftObservation, type RaftTrace, type TermObservation } from './raft-trace.ts';
