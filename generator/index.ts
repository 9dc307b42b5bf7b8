// Public surface of harness/generator: pure, seeded, composable op schedules.
export * from './protocol.ts';
export { Random, randomSeed, type Seed } from './random.ts';
export { fn, repeat, fromList, once, empty } from './sources.ts';
export { mix } from './mix.ts';
export { any } from './any.ts';
export { stagger, rate } from './stagger.ts';
export { limit, timeLimit } from './limits.ts';
export { concat, cycle, sleep, synchronize, phases } from './sequence.ts';
export { eachWorker } from './each-worker.ts';
export { simulate, type SimulatedOp, type SimulateOptions } from './simulate.ts';
