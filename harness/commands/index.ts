// Every CLI command, one file each. Add a command by importing it here.
import type { Command } from './define.ts';
import { setupCommand } from './setup.ts';
import { analyzeCommand } from './analyze.ts';
import { serveCommand } from './serve.ts';

export type { Command } from './define.ts';
export { defineCommand } from './define.ts';

export const commands: Command[] = [
  setupCommand,
  analyzeCommand,
  serveCommand,
];
