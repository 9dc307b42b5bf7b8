// Every CLI command, one file each. Add a command by importing it here.
import type { Command } from './define.ts';
import { setupCommand } from './setup.ts';
import { doctorCommand } from './doctor.ts';
import { clusterCommand } from './cluster.ts';
import { cleanCommand } from './clean.ts';
import { analyzeCommand } from './analyze.ts';
import { testCommand } from './test.ts';
import { serveCommand } from './serve.ts';
import { checkCommand } from './check.ts';
import { reproCommand } from './repro.ts';

export type { Command } from './define.ts';
export { defineCommand } from './define.ts';

export const commands: Command[] = [
  setupCommand,
  doctorCommand,
  clusterCommand,
  cleanCommand,
  analyzeCommand,
  testCommand,
  serveCommand,
  checkCommand,
  reproCommand,
];
