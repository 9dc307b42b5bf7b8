// Monotonic nanoseconds since the test started (Op.time).
export type Clock = () => number;

export function monotonicClock(): Clock {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start);
}
