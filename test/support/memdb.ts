// Tests use the in-memory DB that also backs `faultline test --db memory`.
export * from '../../harness/systems/memory.ts';
