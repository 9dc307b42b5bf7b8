// Every CLI command, one file each. Add a command by importing it here.
import type { CommandModule } from 'yargs';
import { setupCommand } from './setup.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = CommandModule<any, any>;

export const commands: Command[] = [
  setupCommand,
];
