// Public surface of harness/run: the run loop and what it reports while running.
export { runTest, type RunOptions, type RunOutcome } from './run-test.ts';
export { RunStats, type RunEvent, type RunPhase } from './stats.ts';
export { startStatus, formatStatus, type StatusDisplay, type StatusOptions } from './status.ts';
export { runCheckers } from '../../checkers/index.ts';
export { ProcessTable, nodeFor } from './processes.ts';
export { Scheduler, type Execute } from './scheduler.ts';
export { withTimeout, TimeoutError } from '../../clusters/index.ts';
