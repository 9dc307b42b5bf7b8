// Every CLI command, one module each, loaded lazily: yargs gets each command's
// name and one-line description from this table, and the command's module
// (with everything it imports: checkers, Docker, reports...) is imported only
// when that command runs or shows its own --help. So `faultline --help` and
// `--version` load none of them.
//
// Add a command: write cli/commands/<name>.ts (defineCommand) and add a row
// here; its `command` and `describe` must be the module's own
// (test/cli/commands.test.ts checks that every row matches its module).
import type { Argv } from 'yargs';
import type { Command } from './define.ts';

export type { Command } from './define.ts';
export { defineCommand } from './define.ts';

export interface CommandEntry {
  /** yargs command string, e.g. 'check <files..>': the module's own. */
  command: string;
  /** One line for `faultline --help`: the module's own; false hides a helper command from it. */
  describe: string | false;
  /** The command's module. */
  load: () => Promise<Command>;
}

export const commandTable: readonly CommandEntry[] = [
  {
    command: 'setup',
    describe: 'Install what faultline needs (root on Debian: apt-get) and start the Docker engine; idempotent',
    load: async () => (await import('./setup.ts')).setupCommand,
  },
  {
    command: 'doctor',
    describe: 'Check what this machine can do: engine, etcd, iptables and netem in a container, libfaketime, disk',
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
  {
    command: 'cluster <command>',
    describe: 'Start, inspect and remove a cluster by hand (up | status | down)',
    load: async () => (await import('./cluster.ts')).clusterCommand,
  },
  {
    command: 'clean',
    describe: 'Remove containers, networks and lose-unsynced filesystem mounts left by runs whose controller died (found by the faultline.run label and the mount names)',
    load: async () => (await import('./clean.ts')).cleanCommand,
  },
  {
    command: 'hosts <command>',
    describe: 'Machines for the SSH backend: containers that act like bare machines (up | down), or check a hosts file',
    load: async () => (await import('./hosts.ts')).hostsCommand,
  },
  {
    command: 'system <command>',
    describe: 'Your own system, described by a definition file: check it (check FILE), or print the schema (schema)',
    load: async () => (await import('./system.ts')).systemCommand,
  },
  {
    command: 'analyze <run-dir>',
    describe: "Re-run the checkers on a stored run's history (e.g. store/latest)",
    load: async () => (await import('./analyze.ts')).analyzeCommand,
  },
  {
    command: 'test',
    describe: 'Run a test: workload + faults against a cluster, then check the history',
    load: async () => (await import('./test.ts')).testCommand,
  },
  {
    command: 'merge <stores..>',
    describe: 'Combine the stores of a sharded test (faultline test --shard i/n) into one store: summary.json, junit.xml, every run',
    load: async () => (await import('./merge.ts')).mergeCommand,
  },
  {
    command: 'serve',
    describe: 'Browse the store: every run with its verdicts, reports and raw files (read-only web page)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    command: 'check <files..>',
    describe: 'Check recorded histories (JSONL, Jepsen EDN or Jepsen log): linearizability by default, or any registered checker',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    command: 'repro [name]',
    describe: 'Run a ready-made recipe that reproduces a known bug (list them with --list)',
    load: async () => (await import('./repro.ts')).reproCommand,
  },
  {
    command: 'explore',
    describe: 'Search for a bug nobody planted: coverage-guided fault schedules, shrunk and written for replay',
    load: async () => (await import('./explore.ts')).exploreCommand,
  },
  {
    command: 'replay <schedule>',
    describe: 'Re-run a fault schedule written by explore and tell whether it reproduces',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    command: 'raftkv-bundle <file>',
    describe: false,
    load: async () => (await import('./raftkv-bundle.ts')).raftkvBundleCommand,
  },
];

/**
 * A yargs command that stands in for `entry` until it is used: its builder
 * (run by yargs only for the command being run, or whose --help is asked for)
 * imports the module and applies the module's own builder, so the command's
 * options, positionals, examples and subcommands are exactly the module's.
 */
export function lazyCommand(entry: CommandEntry): Command {
  return {
    command: entry.command,
    describe: entry.describe,
    builder: async (y: Argv) => {
      const { builder } = await entry.load();
      if (typeof builder === 'function') return builder(y);
      return builder ? y.options(builder) : y;
    },
    handler: async (args) => (await entry.load()).handler(args),
  };
}

export const commands: Command[] = commandTable.map(lazyCommand);
