// Public surface of harness/explore: the pure parts of explore mode (fault
// schedules, their mutations, what a run reached, delta debugging, the
// schedule file). The loop that runs tests is in cli/explore.
export { runFeatures, newFeatures, bucket, type EventCounts } from './signature.ts';
export { ddmin, type DdminResult } from './ddmin.ts';
export { randomSchedule, mutate, normalize, MUTATIONS, type DealKind, type Mutation, type ScheduleSpace } from './mutate.ts';
export { Deck } from './deck.ts';
export { playedFaults } from './played.ts';
export { repeatSchedule } from './repeat.ts';
export { scheduleFile, parseScheduleFile, nemesisFor, SCHEDULE_FORMAT, type ScheduleFile } from './schedule-file.ts';
