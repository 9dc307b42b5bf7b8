// Tests use the in-memory DB that also backs `faultline test --db memory`.
export * from '../../harness/memory-db.ts';
