import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = CommandModule<any, any>;

/**
 * Declare a command with its arguments typed from the builder:
 * `defineCommand({ command, describe, builder: (y) => y.option(...), handler: (args) => ... })`.
 */
export function defineCommand<A>(module: CommandModule<object, A>): Command {
  return module as Command;
}
