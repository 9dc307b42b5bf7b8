/** Runs each job in its own task once the page has painted, then `done`: the page stays responsive meanwhile. */
export function runAfterPaint(jobs: ReadonlyArray<() => void>, done: () => void): void {
  let next = 0;
  const step = () => {
    if (next < jobs.length) {
      jobs[next++]();
      setTimeout(step, 0);
    } else done();
  };
  requestAnimationFrame(() => setTimeout(step, 0));
}
