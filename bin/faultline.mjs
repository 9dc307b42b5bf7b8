#!/usr/bin/env node
// Entry point: runs the esbuild bundle of faultline's CLI (cli/main.ts), built
// into dist/ by build/cli.mjs (`npm ci` runs it as the prepare script).
//
// The bundle never runs older code than the tree holds: before each start
// build/freshness.mjs compares every source file's mtime and size with the
// snapshot the build took (a few milliseconds); when the bundle is missing or
// anything changed, it is rebuilt first (about a second), or the build's errors
// are printed and faultline exits 2.
//
// FAULTLINE_FROM_SOURCE=1 runs cli/main.ts through tsx instead, without the
// bundle; FAULTLINE_DEBUG=1 prints stack traces (mapped to the .ts sources).
import { currentBuild, holdBuild } from '../build/freshness.mjs';

if (process.env.FAULTLINE_DEBUG) process.setSourceMapsEnabled(true);

if (process.env.FAULTLINE_FROM_SOURCE) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} else {
  let build = currentBuild();
  if (!build.entry) {
    const { ensureBuilt, describeBuildError } = await import('../build/cli.mjs');
    try {
      build = await ensureBuilt({ reason: build.reason });
    } catch (err) {
      console.error(`faultline: the CLI bundle could not be built from the sources:\n${await describeBuildError(err)}`);
      process.exit(2);
    }
  }
  // A later build keeps this one's files while this process runs.
  holdBuild(build.info);
  await import(build.entry);
}
