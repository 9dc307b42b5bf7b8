// Public surface of checkers/: pure functions from a history to a verdict. No I/O here.
export * from './result.ts';
