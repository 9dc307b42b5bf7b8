import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel; tests that start real
// containers (test/docker/**) run one file at a time so they do not fight
// over the two cores and the Docker engine.
export default defineConfig({
  test: {
    // One temp folder for the whole suite, removed at the end (see the file).
    globalSetup: ['testkit/suite-tmpdir.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/docker/**', 'test/browser/**', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts', 'test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
