// cli/commands/index.ts names and describes each command for `faultline
// --help` without loading it: each row must say what its module says.
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { commandTable, lazyCommand } from '../../cli/commands/index.ts';

describe('the lazy command table', () => {
  it("every row's command and description are its module's own", async () => {
    for (const entry of commandTable) {
      const module = await entry.load();
      expect({ command: entry.command, describe: entry.describe }).toEqual({ command: module.command, describe: module.describe });
      expect(typeof module.handler).toBe('function');
    }
    expect(new Set(commandTable.map((c) => c.command.split(' ')[0])).size).toBe(commandTable.length);
  });

  it("a lazy command parses with its module's builder and runs its module's handler", async () => {
    let handled: unknown;
    const entry = {
      command: 'greet <name>',
      describe: 'say hello',
      load: async () => ({
        command: 'greet <name>',
        describe: 'say hello',
        builder: (y: ReturnType<typeof yargs>) => y.positional('name', { type: 'string' }).option('loud', { type: 'boolean', default: false }),
        handler: (args: unknown) => void (handled = args),
      }),
    };
    await yargs(['greet', 'ada', '--loud']).command(lazyCommand(entry)).strict().exitProcess(false).parseAsync();
    expect(handled).toMatchObject({ name: 'ada', loud: true });
  });
});
