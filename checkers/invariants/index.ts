// Public surface of the invariant checkers: set, bank, counter. Pure: history in, verdict out.
export { checkSet, type SetDetails, type SetElement, type LostElement, type UnexpectedElement } from './set.ts';
export { checkBank, type BankConfig, type BankDetails, type BadRead } from './bank.ts';
export { checkCounter, type CounterConfig, type CounterDetails, type CounterBadRead } from './counter.ts';
