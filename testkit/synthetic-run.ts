// A synthetic run folder (test.json, history.jsonl, results.json, nodes/*/
// logs) for the report tests and `npm run bench:report`: a register workload
// over a few keys with a partition and a kill, optionally with a
// linearizability counterexample and hostile strings in the data.
import { Random } from '../generator/random.ts';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Op, OpType } from '../history/op.ts';
import type { CheckResult, RunResults } from '../checkers/result.ts';
import type { LinearizabilityDetails, LinOp } from '../checkers/linearizability/result.ts';

export const XSS = '<img src=x onerror="window.__xss=1">';
export const XSS_SCRIPT = '</script><script>window.__xss=2</script>';

export interface SyntheticOptions {
  ops: number;
  processes?: number;
  /** Make the linearizability checker's verdict invalid, with a counterexample. */
  invalid?: boolean;
  /** Put hostile strings in values, errors, keys, node logs and the test name. */
  hostile?: boolean;
  /** Mean op latency and think time, ms. */
  latencyMs?: number;
  seed?: number;
  /** Wall-clock start of the run (test.json startTime, log stamps). */
  startTime?: string;
}


/** Writes the run folder; returns the ops it wrote (index order). */
export async function writeSyntheticRun(runDir: string, options: SyntheticOptions): Promise<{ ops: number; durationMs: number }> {
  const { ops: count, processes = 10, invalid = false, hostile = false, latencyMs = 5, seed = 1 } = options;
  const START_TIME = Date.parse(options.startTime ?? '2026-01-02T03:04:05.000Z');
  await mkdir(path.join(runDir, 'nodes', 'n1'), { recursive: true });
  await mkdir(path.join(runDir, 'nodes', 'n2'), { recursive: true });
  const rng = new Random(seed);
  const random = () => rng.float();
  const keys = hostile ? ['x', XSS] : ['x', 'y', 'z'];

  // Events as flat arrays: [time ns, process, type, f, key, value, error]; sorted by time afterwards.
  type Event = { time: number; process: number | 'nemesis'; type: OpType; f: string; value: unknown; error?: string; node?: string };
  const events: Event[] = [];
  const clocks = new Array<number>(processes).fill(0);
  let nextProcess = processes;
  const lanes = Array.from({ length: processes }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const lane = i % processes;
    const process = lanes[lane];
    const start = clocks[lane] + random() * latencyMs * 1e6;
    const latency = (0.2 + random() * random() * 4) * latencyMs * 1e6;
    const end = start + latency;
    clocks[lane] = end;
    const key = keys[Math.floor(random() * keys.length)];
    const isRead = random() < 0.5;
    const roll = random();
    const type: OpType = roll < 0.9 ? 'ok' : roll < 0.96 ? 'fail' : 'info';
    const written = Math.floor(random() * 5);
    const value = isRead ? { key, value: null } : { key, value: hostile ? XSS : written };
    const node = `n${1 + Math.floor(random() * 3)}`;
    events.push({ time: start, process, type: 'invoke', f: isRead ? 'read' : 'write', value, node });
    const result = isRead ? { key, value: type === 'ok' ? (hostile ? XSS_SCRIPT : written) : null } : value;
    events.push({ time: end, process, type, f: isRead ? 'read' : 'write', value: result, node, ...(type === 'ok' ? {} : { error: hostile ? XSS : 'timeout' }) });
    if (type === 'info') lanes[lane] = nextProcess++; // the worker continues as a new process
  }
  const durationNs = Math.max(...clocks);
  const faults = [
    { f: 'partition', from: 0.2, to: 0.45, nodes: ['n1', 'n2'], description: hostile ? XSS : 'n1 n2 | n3' },
    { f: 'kill', from: 0.6, to: 0.75, nodes: ['n2'], description: 'kill -9 n2' },
  ];
  for (const fault of faults) {
    // As the nemeses record them: each fault seen in force, each heal seen to work.
    const value = { fault: fault.f, nodes: fault.nodes, description: fault.description };
    const start = { ...value, effect: 'took-effect', evidence: { summary: hostile ? XSS : `${fault.f} seen in force on ${fault.nodes.join(' ')}` } };
    const stop = { ...value, effect: 'took-effect', evidence: { summary: 'healed: all pairs connect again' } };
    events.push({ time: durationNs * fault.from, process: 'nemesis', type: 'invoke', f: `start-${fault.f}`, value: null });
    events.push({ time: durationNs * fault.from + 1e6, process: 'nemesis', type: 'ok', f: `start-${fault.f}`, value: start });
    events.push({ time: durationNs * fault.to, process: 'nemesis', type: 'invoke', f: `stop-${fault.f}`, value: null });
    events.push({ time: durationNs * fault.to + 1e6, process: 'nemesis', type: 'ok', f: `stop-${fault.f}`, value: stop });
  }
  events.sort((a, b) => a.time - b.time);
  const history: Op[] = events.map((e, index) => ({ index, time: Math.round(e.time), process: e.process, type: e.type, f: e.f, value: e.value, ...(e.node ? { node: e.node } : {}), ...(e.error ? { error: e.error } : {}) }));

  const out = createWriteStream(path.join(runDir, 'history.jsonl'));
  let buffer = '';
  for (const op of history) {
    buffer += `${JSON.stringify(op)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'close');

  const checkers: CheckResult[] = [
    invalid ? invalidLinearizability(history) : { checker: 'linearizability', valid: true, summary: `${count} ops linearizable` },
    { checker: 'perf', valid: true, summary: hostile ? `summary ${XSS}` : 'latency and throughput recorded' },
  ];
  const results: RunResults = { valid: invalid ? false : true, checkers };
  await writeFile(path.join(runDir, 'results.json'), JSON.stringify(results, null, 2));
  await writeFile(
    path.join(runDir, 'test.json'),
    JSON.stringify({
      name: hostile ? `register ${XSS}` : 'register',
      command: `faultline test --workload register --nemesis partition,kill --seed ${seed} --ops ${count}`,
      options: { workload: 'register', nemesis: ['partition', 'kill'], concurrency: processes },
      seed,
      versions: { faultline: '0.1.0', db: 'etcd 3.5.15', kernel: '6.1.0' },
      startTime: new Date(START_TIME).toISOString(),
    }),
  );
  // Node logs with ISO stamps: one line per 100 ms of the run.
  for (const node of ['n1', 'n2']) {
    const lines: string[] = [];
    for (let t = 0; t < durationNs / 1e6; t += 100) {
      lines.push(`${new Date(START_TIME + t).toISOString()} INFO ${node} raft: tick ${t}${hostile && t === 0 ? ` ${XSS}` : ''}`);
    }
    await writeFile(path.join(runDir, 'nodes', node, 'server.log'), `${lines.join('\n')}\n`);
  }
  return { ops: count, durationMs: durationNs / 1e6 };
}

/** A linearizability result for key "x" in the shape of checkers/linearizability/result.ts. */
function invalidLinearizability(history: Op[]): CheckResult {
  const onX: LinOp[] = [];
  const open = new Map<number | string, Op>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const invoke = open.get(op.process);
    const value = invoke?.value as { key?: string } | undefined;
    if (!invoke || value?.key !== 'x' || op.type === 'fail') continue;
    onX.push({
      op: invoke.index,
      completion: op.type === 'ok' ? op.index : null,
      indeterminate: op.type !== 'ok',
      process: op.process,
      f: op.f,
      description: `${op.f} ${JSON.stringify((op.value as { value?: unknown }).value)}`,
    });
    if (onX.length >= 24) break;
  }
  const prefix = onX.slice(0, 15);
  const stuck = onX.find((o, i) => i >= 15 && o.f === 'read' && !o.indeterminate) ?? onX[15];
  const details: LinearizabilityDetails = {
    model: 'register',
    opCount: onX.length,
    dropped: { failed: 0, indeterminateReads: 0 },
    partitionCount: 1,
    partitions: [
      {
        key: 'x',
        valid: false,
        opCount: onX.length,
        // memoryBytes spread in: accepted whether or not this checkout's SearchProgress has it yet.
        progress: { steps: 100, configurations: 40, deepest: prefix.length, elapsedMs: 3, ...{ memoryBytes: 4096 } },
        counterexample: {
          longestPrefix: prefix.map((o, i) => ({ op: o.op, state: String(i % 5) })),
          statesAtFailure: ['4'],
          stuck: [{ op: stuck.op, description: stuck.description, reason: `${stuck.description} but the value is 4` }],
          blockingOp: stuck.op,
          partialLinearizations: [],
        },
        ops: onX,
      },
    ],
    elapsedMs: 3,
  };
  return { checker: 'linearizability', valid: false, summary: `key x is not linearizable: ${stuck.description} cannot follow a prefix of ${prefix.length} ops`, details };
}
