// The run loop: set up the cluster, run client and nemesis generators until
// the time limit (the clients go on while a fault begun before it is still
// being played), heal every fault, wait for recovery, run the final reads,
// check the history, write results.json. Teardown always happens: normal
// end, thrown error, SIGINT or SIGTERM (heal, tear down, exit 2).
import path from 'node:path';
import type { Checker, RunResults } from '../../checkers/index.ts';
import { Random, rate, seconds, timeLimit, type Generator, type WorkerId } from '../../generator/index.ts';
import { monotonicClock } from '../../history/index.ts';
import { HistoryRecorder } from '../../history/index.ts';
import type { Coverage, History, RaftTrace } from '../../history/index.ts';
import { UserError } from '../../history/index.ts';
import {
  RUN_FILES,
  createRunDir,
  writeCoverage,
  writeRaftTrace,
  writeResults,
  writeTestRecord,
  type TestRecord,
} from '../run-folder/index.ts';
import { faultlineVersion, kernelVersion } from '../versions.ts';
import { reproduceCommand } from '../command-line.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import type { TestDefinition } from '../test-definition.ts';
import { raftProtocolChecker, runCheckers, unfinishedResults } from '../../checkers/index.ts';
import { ClientWorker } from './client-worker.ts';
import { NemesisWorker } from './nemesis-worker.ts';
import { ProcessTable, nodeFor } from './processes.ts';
import { Scheduler } from './scheduler.ts';
import { RunStats, type RunEvent, type RunPhase } from './stats.ts';
import { startStatus, type StatusDisplay } from './status.ts';
import { withTimeout } from '../../clusters/index.ts';
import { errorText } from '../../history/index.ts';

export interface RunOptions {
  /** Store root; the run goes to <store>/<test>/<timestamp>/. Default 'store'. */
  store?: string;
  /** Client request (and client open) timeout; past it the op is info. Default 5000. */
  opTimeoutMs?: number;
  /** Per fault op, heal included. Default 60000. */
  nemesisTimeoutMs?: number;
  /** How long waitHealthy may take (before the run and after healing). Default 60000. */
  healthTimeoutMs?: number;
  /** Upper bound on the final phase, seconds. Default 60. */
  finalTimeLimit?: number;
  /** Bound on collectLogs and on teardown, each. Default 120000. */
  teardownTimeoutMs?: number;
  /** Pause after a client failed to open. Default 100. */
  reopenBackoffMs?: number;
  /** Live status: 'auto' (TTY line or periodic lines), or forced, or 'off'. Default 'auto'. */
  status?: 'auto' | 'tty' | 'lines' | 'off';
  statusStream?: NodeJS.WritableStream;
  /** Install SIGINT/SIGTERM handlers that heal, tear down and exit 2. Default true. */
  handleSignals?: boolean;
  /** argv for test.json's reproduce line (default: this process's, as `faultline ...`). */
  command?: readonly string[];
  onEvent?: (e: RunEvent) => void;
  /**
   * Called once per run after results.json is written and the cluster is torn
   * down (node logs collected), on every path: a verdict, a harness error, a
   * signal. The CLI writes report.html and summary.json here, so an
   * interrupted or failed run still leaves a report. Bounded; errors become warnings.
   */
  onResults?: (dir: string) => Promise<unknown>;
}

export interface RunOutcome {
  dir: string;
  results: RunResults;
  history: History;
  stats: RunStats;
  /** The Raft events the run reached (also coverage.json); absent when the DB cannot tell. */
  coverage?: Coverage;
}

export async function runTest<I extends ClusterInfo>(test: TestDefinition<I>, opts: RunOptions = {}): Promise<RunOutcome> {
  validate(test);
  const o = {
    store: opts.store ?? 'store',
    opTimeoutMs: opts.opTimeoutMs ?? 5000,
    nemesisTimeoutMs: opts.nemesisTimeoutMs ?? 60_000,
    healthTimeoutMs: opts.healthTimeoutMs ?? 60_000,
    finalTimeLimit: opts.finalTimeLimit ?? 60,
    teardownTimeoutMs: opts.teardownTimeoutMs ?? 120_000,
    reopenBackoffMs: opts.reopenBackoffMs ?? 100,
  };
  const dir = createRunDir(o.store, test.name);
  const record = testRecord(test, opts.command ?? ['faultline', ...process.argv.slice(2)]);
  writeTestRecord(dir, record);

  const clock = monotonicClock();
  const recorder = new HistoryRecorder(path.join(dir, RUN_FILES.history), clock);
  const stats = new RunStats();
  const random = new Random(test.seed);
  const emit = (e: RunEvent): void => opts.onEvent?.(e);
  const setPhase = (phase: RunPhase): void => {
    stats.phase = phase;
    emit({ type: 'phase', phase });
  };
  const status = showStatus(stats, test, clock, opts);

  let cluster: I | undefined;
  let setupPromise: Promise<I> | undefined;
  let nemesisWorker: NemesisWorker<I> | undefined;
  let healed = false;
  const clientWorkers: ClientWorker[] = [];
  const schedulers: Scheduler[] = [];
  let coverage: Coverage | undefined;
  let raftTrace: RaftTrace | undefined;

  const warn = (message: string): void => emit({ type: 'warning', message });
  const bounded = async (what: string, p: () => Promise<void>, ms: number): Promise<void> => {
    try {
      await withTimeout(Promise.resolve().then(p), ms, what);
    } catch (e) {
      warn(`${what} failed: ${errorText(e)}`);
    }
  };

  // Shared by the normal end, errors and signals; runs once.
  let cleanupPromise: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleanupPromise ??= (async () => {
      setPhase('teardown');
      for (const s of schedulers) s.stop();
      if (nemesisWorker && !healed) {
        healed = true;
        await nemesisWorker.healAll();
      }
      await Promise.all(clientWorkers.map((w) => w.close()));
      recorder.flush();
      if (setupPromise) {
        // Interrupted mid-setup: let it finish (bounded) so teardown sees everything it created.
        cluster ??= await withTimeout(setupPromise, o.teardownTimeoutMs, 'setup').catch(() => undefined);
        if (cluster) await bounded('collecting logs', () => test.db.collectLogs(cluster!, path.join(dir, RUN_FILES.nodes)), o.teardownTimeoutMs);
        await bounded('teardown', () => test.db.teardown(), o.teardownTimeoutMs);
        // Counted once every process is gone, so the logs are complete; on every path, like the logs.
        if (cluster) await bounded('counting Raft events (coverage)', async () => {
          coverage = await test.db.coverage?.(cluster!, path.join(dir, RUN_FILES.nodes));
          if (coverage) writeCoverage(dir, coverage);
        }, o.teardownTimeoutMs);
        if (cluster && test.db.raftTrace) await bounded('reading the Raft trace', async () => {
          raftTrace = await test.db.raftTrace!(cluster!, path.join(dir, RUN_FILES.nodes));
          if (raftTrace) writeRaftTrace(dir, raftTrace);
        }, o.teardownTimeoutMs);
      }
      recorder.close();
    })());
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    status?.stop();
    setPhase('done');
  };

  const afterResults = (): Promise<void> =>
    opts.onResults ? bounded('writing the report', async () => void (await opts.onResults!(dir)), o.teardownTimeoutMs) : Promise.resolve();

  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write(`\nfaultline: second ${signal}, exiting without cleanup (run \`faultline clean\`)\n`);
      process.exit(2);
    }
    interrupted = signal;
    emit({ type: 'signal', signal });
    void cleanup()
      .then(finish)
      .then(() => writeResults(dir, unfinishedResults(`interrupted by ${signal}; faults healed, cluster torn down`)))
      .then(afterResults)
      .finally(() => process.exit(2));
  };
  // After a signal the cleanup above owns the run and exits the process; the
  // main flow parks at its next checkpoint instead of racing it.
  const checkpoint = async (): Promise<void> => {
    if (interrupted) await new Promise<never>(() => {});
  };
  const handleSignals = opts.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  try {
    setupPromise = test.db.setup(dir);
    cluster = await setupPromise;
    await checkpoint();
    const nodes = cluster.nodes;
    if (nodes.length === 0) throw new UserError('the cluster came up with no nodes');
    record.nodes = nodes;
    if (test.db.version) record.dbVersion = String(await test.db.version());
    writeTestRecord(dir, record);
    await test.db.waitHealthy(cluster, o.healthTimeoutMs);
    await checkpoint();

    const plan = test.nemesis;
    if (plan) {
      await plan.nemesis.setup?.(cluster);
      nemesisWorker = new NemesisWorker({ nemesis: plan.nemesis, cluster, recorder, stats, timeoutMs: o.nemesisTimeoutMs, emit });
    }
    const processes = new ProcessTable(test.concurrency);
    const addWorker = (node: string, proc: number): void => {
      const c = cluster!;
      clientWorkers.push(
        new ClientWorker({
          node,
          process: proc,
          makeClient: () => test.workload.client(c),
          recorder,
          processes,
          stats,
          opTimeoutMs: o.opTimeoutMs,
          reopenBackoffMs: o.reopenBackoffMs,
        }),
      );
    };
    for (let w = 0; w < test.concurrency; w++) addWorker(nodeFor(w, nodes), processes.initial(w));
    const openErrors = await Promise.all(clientWorkers.map((w) => w.ensureOpen()));
    openErrors.forEach((e, w) => e !== undefined && warn(`worker ${w}: could not open a client to ${clientWorkers[w].node}: ${e}`));

    // Main phase: clients and nemesis side by side, each with its own stream.
    stats.mainStart = clock();
    setPhase('main');
    const limitNs = seconds(test.timeLimit);
    const base = test.workload.generator();
    const rated = test.rate ? rate(test.rate, base) : base;
    // With faults, the clients are stopped by the loop below rather than by the time limit: a fault that
    // began inside the limit (a Raft-aware script plays for seconds) keeps its load until it is done, or
    // the window it opened would pass with no client op in it.
    const clientGen = plan && nemesisWorker ? rated : timeLimit(limitNs, rated);
    const scheduler = (gen: Generator, workers: WorkerId[], stream: string): Scheduler => {
      const s = new Scheduler(gen, workers, random.fork(stream), clock);
      schedulers.push(s);
      return s;
    };
    const clientIds = clientWorkers.map((_, w) => w);
    const clients = scheduler(clientGen, clientIds, 'clients');
    const clientsDone = clients.run((w, op) => clientWorkers[w as number].execute(op));
    clientsDone.catch(() => undefined); // awaited below; a failure must not be an unhandled rejection meanwhile
    if (plan && nemesisWorker) {
      const nw = nemesisWorker;
      // Ends at the time limit, or when the fault being played then is done.
      await scheduler(timeLimit(limitNs, plan.generator()), ['nemesis'], 'nemesis').run((_w, op) => nw.execute(op));
      // Heal when the main phase ends (time limit or the last fault's end, or clients done earlier),
      // without waiting on client requests hung by the faults.
      // Bounded by the time limit's remainder; withTimeout clears its timer when clients finish first.
      await withTimeout(clientsDone, Math.max(0, (stats.mainStart + limitNs - clock()) / 1e6), 'main phase').catch(() => undefined);
      clients.stop();
      await checkpoint();
      setPhase('heal');
      healed = true;
      await nw.healAll();
    }
    await clientsDone;
    await checkpoint();

    setPhase('recover');
    try {
      await test.db.waitHealthy(cluster, o.healthTimeoutMs);
    } catch (e) {
      warn(`the cluster did not recover after healing: ${errorText(e)}`);
    }
    await checkpoint();

    // Final phase: at least one worker per node, so final reads hit every node.
    const final = test.workload.finalGenerator?.();
    if (final) {
      setPhase('final');
      for (let w = clientWorkers.length; w < nodes.length; w++) addWorker(nodeFor(w, nodes), processes.fresh());
      const ids = clientWorkers.map((_, w) => w);
      await scheduler(timeLimit(seconds(o.finalTimeLimit), final), ids, 'final').run((w, op) => clientWorkers[w as number].execute(op));
      await checkpoint();
    }

    // Checked once the cluster is gone: the Raft trace is read from the complete node logs.
    recorder.flush();
    await cleanup();
    await checkpoint();
    setPhase('check');
    const results = await runCheckers(checkersOf(test), recorder.history, { nodes, workload: test.workload.name, ...(raftTrace ? { raftTrace } : {}) });
    await checkpoint();
    writeResults(dir, results);
    finish();
    await afterResults();
    return { dir, results, history: recorder.history, stats, ...(coverage ? { coverage } : {}) };
  } catch (e) {
    if (!interrupted) {
      writeResults(dir, unfinishedResults(`run failed: ${errorText(e)}`));
      await cleanup();
      finish();
      await afterResults();
    }
    throw e;
  } finally {
    await cleanup();
    if (handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** The workload's checkers, and Raft's own rules on the members' logs when the DB writes them. */
function checkersOf(test: TestDefinition<ClusterInfo>): Checker[] {
  return test.db.raftTrace ? [...test.workload.checkers, raftProtocolChecker()] : [...test.workload.checkers];
}

function validate(test: TestDefinition<ClusterInfo>): void {
  if (!Number.isInteger(test.concurrency) || test.concurrency < 1) throw new UserError(`concurrency must be a positive integer, got ${test.concurrency}`);
  if (!(test.timeLimit > 0)) throw new UserError(`time limit must be > 0 seconds, got ${test.timeLimit}`);
  if (test.rate !== undefined && !(test.rate > 0)) throw new UserError(`rate must be > 0 ops/s, got ${test.rate}`);
  if (!Number.isInteger(test.seed) || test.seed < 0 || test.seed > 0xffffffff) throw new UserError(`seed must be an integer in 0..4294967295, got ${test.seed}`);
}

function testRecord(test: TestDefinition<ClusterInfo>, argv: readonly string[]): TestRecord {
  return {
    name: test.name,
    db: test.db.name,
    workload: test.workload.name,
    ...(test.nemesis ? { nemesis: test.nemesis.nemesis.name } : {}),
    nodes: test.nodes,
    concurrency: test.concurrency,
    ...(test.rate !== undefined ? { rate: test.rate } : {}),
    timeLimit: test.timeLimit,
    seed: test.seed,
    checkers: checkersOf(test).map((c) => (c.config ? { name: c.name, config: c.config } : { name: c.name })),
    options: test.options ?? {},
    command: reproduceCommand(argv, test.seed),
    faultlineVersion: faultlineVersion(),
    kernel: kernelVersion(),
    node: process.version,
    startedAt: new Date().toISOString(),
  };
}

function showStatus(stats: RunStats, test: TestDefinition<ClusterInfo>, clock: () => number, opts: RunOptions): StatusDisplay | undefined {
  const mode = opts.status ?? 'auto';
  if (mode === 'off') return undefined;
  return startStatus(stats, {
    stream: opts.statusStream ?? process.stderr,
    timeLimit: test.timeLimit,
    clock,
    ...(mode === 'auto' ? {} : { mode }),
  });
}
