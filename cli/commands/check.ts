// faultline check FILE...: check recorded histories (faultline's JSONL, Jepsen
// EDN, Jepsen logs) without running a test. One verdict line per file;
// exit 0 all valid, 1 any invalid, 2 any unknown or unreadable.
//
// --checker names an entry of the checker registry (checkers/registry.ts), the
// same table `faultline test` and `analyze` use; its flags become the config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { defineCommand } from './define.ts';
import { terminalSafe } from '../terminal.ts';
import { checkOutputFile, ensureOutputDir } from '../output-paths.ts';
import { UserError } from '../../history/index.ts';
import type { History } from '../../history/index.ts';
import { HistoryFileError, historyFormats, loadHistoryFile, type HistoryFormat } from '../../history/formats/index.ts';
import { shellQuote } from '../../harness/index.ts';
import { writeImportedRun } from '../../harness/run-folder/index.ts';
import { writeJUnit, writeRunArtifacts } from '../../reports/index.ts';
import { parseEdn, EdnError } from '../../history/formats/index.ts';
import { exitCodeFor, worstValidity, type CheckResult, type Validity } from '../../checkers/index.ts';
import { HistoryError } from '../../checkers/linearizability/index.ts';
import { modelDescription, modelNames } from '../../checkers/models/index.ts';
import { ANOMALY_NAMES, CONSISTENCY_MODELS, ELLE_WORKLOADS } from '../../checkers/elle/index.ts';
import { checkerDescription, checkerFromSpec, checkerNames, explainResult } from '../../checkers/index.ts';

/** The checker config a command line asks for: the flags that apply to that checker, then --config on top. */
function checkerConfig(name: string, flags: CheckFlags, extra: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> =
    name === 'linearizability'
      ? { model: flags.model, ...flags.modelOptions, partition: flags.partition, maxMemoryBytes: flags.maxMemoryBytes, workers: flags.workers, timeoutMs: flags.timeoutMs }
      : name === 'elle'
        ? { consistencyModels: flags.consistencyModels, timeoutMs: flags.timeoutMs, ...flags.elle }
        : {};
  // Flags left unset say nothing: the checker's own defaults apply.
  return Object.fromEntries(Object.entries({ ...own, ...extra }).filter(([, v]) => v !== undefined));
}

interface CheckFlags {
  model: string;
  modelOptions: { initial?: unknown; nilRead?: 'unknown' | 'absent' };
  timeoutMs: number | undefined;
  partition: boolean;
  maxMemoryBytes: number | undefined;
  workers: number | undefined;
  consistencyModels: string[];
  /** The elle checker's other flags (unset ones stay undefined: the checker's defaults). */
  elle: { workload?: string; anomalies?: string[]; wfrKeys?: boolean; sequentialKeys?: boolean; linearizableKeys?: boolean };
}

function parseConfig(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`--config: expected a JSON object, e.g. '{"accounts":[0,1,2],"total":30}': ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`--config: expected a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

/** "60s", "100ms", "2m", "1.5h" or a bare number of seconds -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UserError(`--timeout: expected a duration like 60s, 500ms or 2m, got '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** "512MB", "2GB", "1GiB" or a bare number of megabytes -> bytes. */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|m|g)?i?b?$/i.exec(text.trim());
  if (!m) throw new UserError(`--memory: expected a size like 512MB or 2GB, got '${text}'`);
  const unit = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(m[2] ?? 'm').toLowerCase() as 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

function parseInitial(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseEdn(text);
  } catch (e) {
    if (e instanceof EdnError) throw new UserError(`--initial: expected an EDN/JSON value like 0, nil or "x": ${e.reason}`);
    throw e;
  }
}

interface FileOutcome {
  file: string;
  valid: Validity;
  result?: CheckResult;
  error?: string;
  /** report.html written for this file (--report). */
  report?: string;
}

export const checkCommand = defineCommand({
  command: 'check <files..>',
  describe: 'Check recorded histories (JSONL, Jepsen EDN or Jepsen log): linearizability by default, or any registered checker',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'history files' })
      .option('checker', {
        type: 'string',
        default: 'linearizability',
        choices: checkerNames(),
        describe: `which checker (the same ones faultline test runs): ${checkerNames().map((n) => `${n}: ${checkerDescription(n)}`).join('; ')}`,
      })
      .option('config', { type: 'string', describe: 'checker config as a JSON object, over what the flags give (e.g. bank: {"accounts":[0,1,2],"total":30})' })
      .option('model', {
        type: 'string',
        default: 'cas-register',
        describe: `sequential model: ${modelNames.map((n) => `${n} (${modelDescription(n)})`).join('; ')}`,
      })
      .option('format', { type: 'string', default: 'auto', choices: historyFormats as unknown as string[], describe: 'history format (auto: by extension, else by content)' })
      .option('timeout', { type: 'string', describe: 'give up on a file after this long (e.g. 60s, 500ms): verdict unknown' })
      .option('memory', { type: 'string', default: '1GB', describe: 'memory budget of the search per file (e.g. 512MB, 2GB): past it, unknown' })
      .option('initial', { type: 'string', describe: 'initial register value, in EDN (default nil)' })
      .option('nil-read', {
        type: 'string',
        choices: ['auto', 'unknown', 'absent'],
        default: 'auto',
        describe: "a read of nil: 'unknown' matches any value (Knossos), 'absent' means no value yet (Porcupine's etcd, faultline's own runs); auto: unknown for EDN files, else absent",
      })
      .option('consistency-models', {
        type: 'string',
        array: true,
        default: ['strict-serializable'],
        describe: `elle: models the history must satisfy (${CONSISTENCY_MODELS.join(', ')})`,
      })
      .option('workload', {
        type: 'string',
        choices: ELLE_WORKLOADS as unknown as string[],
        describe: 'elle: the history\'s workload; by default read off the micro-ops (append: list-append, w: rw-register), which a history that only reads cannot tell',
      })
      .option('anomalies', {
        type: 'string',
        array: true,
        describe: `elle: anomalies that make the history invalid when present, besides what the models forbid (${ANOMALY_NAMES.join(', ')})`,
      })
      .option('wfr-keys', { type: 'boolean', describe: 'elle, rw-register: writes follow reads within a transaction (read v, then write v\': v before v\')' })
      .option('sequential-keys', { type: 'boolean', describe: "elle, rw-register: each key is sequentially consistent (each process's transactions order its versions)" })
      .option('linearizable-keys', { type: 'boolean', describe: 'elle, rw-register: each key is linearizable (real-time order orders its versions)' })
      .option('workers', { type: 'number', describe: 'worker threads for partitions still unchecked after 0.5 s (default: cores - 1; 0: none)' })
      .option('partition', { type: 'boolean', default: true, describe: 'check the model\'s partitions (keys) separately; --no-partition checks the whole history as one' })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
      .option('report', { type: 'string', describe: 'write a run folder with report.html for each checked file into this folder (DIR/<file name>/)' })
      .option('junit', {
        type: 'string',
        describe: 'also write JUnit XML for CI to this file: a suite per checked file (its run folder goes under --report DIR, or a temporary folder), an error case per unreadable file',
      })
      .example('$0 check history.jsonl --model kv-cas-register', "check a faultline run's history, keys checked independently")
      .example('$0 check etcd_002.log --timeout 60s', 'a Jepsen log (cas-register, nil = absent)')
      .example('$0 check good/*.edn --initial 0 --json', 'Knossos histories, JSON output')
      .example('$0 check history.edn --checker elle --consistency-models snapshot-isolation', 'transactional anomalies (Elle)')
      .example('$0 check reads.edn --checker elle --workload rw-register --anomalies G1c lost-update', 'name the workload and anomalies that must not occur')
      .example('$0 check etcd_*.log --report reports/', 'also write reports/<file>/report.html for each file'),
  handler: async (args) => {
    const timeoutMs = args.timeout === undefined ? undefined : parseDuration(args.timeout);
    const maxMemoryBytes = parseBytes(args.memory);
    const initial = parseInitial(args.initial);
    const extra = parseConfig(args.config);
    const flags = (nilRead?: 'unknown' | 'absent'): CheckFlags => ({
      model: args.model,
      modelOptions: { initial, nilRead },
      timeoutMs,
      partition: args.partition,
      maxMemoryBytes,
      workers: args.workers,
      consistencyModels: args['consistency-models'],
      elle: { workload: args.workload, anomalies: args.anomalies, wfrKeys: args['wfr-keys'], sequentialKeys: args['sequential-keys'], linearizableKeys: args['linearizable-keys'] },
    });
    // Bad names and configs fail here, before any file is read (exit 2).
    checkerFromSpec({ name: args.checker, config: checkerConfig(args.checker, flags('unknown'), extra) });
    const outcomes: FileOutcome[] = [];
    const reportDirs = new Set<string>();
    // JUnit is written from run folders: without --report they go to a temporary folder.
    if (args.junit) checkOutputFile(args.junit, '--junit');
    if (args.report) ensureOutputDir(args.report, '--report');
    const reportRoot = args.report ?? (args.junit ? fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-check-')) : undefined);

    for (const file of args.files) {
      let outcome: FileOutcome;
      let history: History = [];
      try {
        const loaded = loadHistoryFile(file, args.format as HistoryFormat);
        history = loaded.history;
        const format = loaded.format;
        // faultline's own JSONL and Jepsen logs mean "no value yet" by nil (the register workload's model says so); Knossos EDN means "any value".
        const nilRead = args['nil-read'] === 'auto' ? (format === 'edn' ? 'unknown' : 'absent') : (args['nil-read'] as 'unknown' | 'absent');
        // The nil-read default depends on the file's format, so each file gets its own checker.
        const checker = checkerFromSpec({ name: args.checker, config: checkerConfig(args.checker, flags(nilRead), extra) });
        const result = await checker.check(history, { nodes: [], workload: '' });
        outcome = { file, valid: result.valid, result };
      } catch (e) {
        if (e instanceof HistoryFileError || e instanceof HistoryError) outcome = { file, valid: 'unknown', error: e instanceof HistoryError ? `${file}: ${e.message}` : e.message };
        else throw e;
      }
      if (reportRoot !== undefined && outcome.result) {
        const dir = uniqueDir(path.join(reportRoot, path.basename(file)), reportDirs);
        outcome.report = await writeCheckReport(dir, file, history, outcome.result);
      }
      outcomes.push(outcome);
      if (!args.json) printOutcome(outcome);
    }

    if (args.junit) {
      const unreadable = outcomes.flatMap((o) => (o.error ? [{ name: o.file, message: o.error }] : []));
      await writeJUnit([...reportDirs], args.junit, unreadable);
      // Without --report the run folders were only the JUnit's source.
      if (!args.report && reportRoot) fs.rmSync(reportRoot, { recursive: true, force: true });
    }
    if (args.json) console.log(JSON.stringify(outcomes.length === 1 ? outcomes[0] : outcomes, null, 2));
    // Unreadable files count as unknown; an invalid history anywhere decides (exit 1).
    process.exitCode = exitCodeFor(worstValidity(outcomes.map((o) => o.valid)));
  },
});

function printOutcome(o: FileOutcome): void {
  if (o.error) {
    console.log(`${chalk.red('error')}    ${terminalSafe(o.error)}`);
    return;
  }
  const r = o.result!;
  const label = r.valid === true ? chalk.green('valid  ') : r.valid === false ? chalk.red.bold('INVALID') : chalk.yellow('unknown');
  console.log(`${label}  ${terminalSafe(o.file)}: ${terminalSafe(r.summary)}`);
  if (r.valid === false) for (const line of explainResult(r)) console.log(chalk.dim('  ') + terminalSafe(line));
  if (o.report) console.log(`  report: ${o.report}`);
}

/** `base`, or base-2, base-3... when an earlier file of this command already took it (same file name). */
function uniqueDir(base: string, taken: Set<string>): string {
  let dir = base;
  for (let i = 2; taken.has(dir); i++) dir = `${base}-${i}`;
  taken.add(dir);
  return dir;
}

/**
 * Lay out a run folder for one checked file, as a test run leaves it (test.json
 * naming the source file and the command, history.jsonl, results.json), and
 * write its report.html and summary.json. Returns the report's path.
 */
async function writeCheckReport(dir: string, file: string, history: History, result: CheckResult): Promise<string> {
  // Knossos and Elle histories often carry no :time: space the ops 1 ms apart in
  // history order, so the report's timelines show their order rather than one point.
  const untimed = history.length > 1 && history.every((op) => op.time === history[0].time);
  const timed = untimed ? history.map((op, i) => ({ ...op, time: i * 1e6 })) : history;
  writeImportedRun(
    dir,
    {
      name: path.basename(file),
      source: path.resolve(file),
      command: shellQuote(['faultline', ...process.argv.slice(2)]),
      checker: result.checker,
      startTime: new Date().toISOString(),
      ...(untimed ? { note: 'the source has no op times: ops are drawn 1 ms apart, in history order' } : {}),
    },
    timed,
    { valid: result.valid, checkers: [result] },
  );
  return (await writeRunArtifacts(dir)).report;
}
