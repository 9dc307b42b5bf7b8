// kill -9 / restart and SIGSTOP / SIGCONT of the DB process, never of the
// container: PID 1 stays up, so the node keeps its network namespace, its
// iptables rules and its data (a restart is db.start(..., { fresh: false })).
//
// Evidence: a kill shows the process gone (kill -0 fails on its pid); a
// restart shows a new pid and the DB answering again, with how long that
// took; a pause shows State T (stopped) in /proc/<pid>/status, a resume
// shows it left T. A signal with no process to receive it is no effect.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { NODE_DIR } from '../clusters/index.ts';
import type { Completion, FaultEffect, JsonValue } from '../history/index.ts';
import { combineEffects, eachNode, evidence, sleep, withEffect } from './effect.ts';
import { sh, sortNodes, targetNodes, type Fault, type FaultSpec } from './fault.ts';

/** How long a restarted DB may take to answer before the restart counts as no effect. */
const RESTART_READY_BUDGET_MS = 30_000;
const READY_POLL_MS = 100;

const pidFile = (dbName: string): string => `${NODE_DIR}/${dbName}.pid`;

/** Shell: the DB's pid into $pid, or exit 3 saying there is none. */
const readPid = (dbName: string): string =>
  `pid="$(cat ${pidFile(dbName)} 2>/dev/null)"\n[ -n "$pid" ] || { echo "no pid file: ${dbName} was never started here" >&2; exit 3; }`;

/** Shell function: `state_of PID` prints the State line of /proc/PID/status ("T (stopped)"), nothing when the process is gone. */
const STATE_OF = 'state_of() { s=; while IFS= read -r l; do case "$l" in State:*) s="${l#State:}";; esac; done 2>/dev/null < /proc/$1/status; set -- $s; echo "$*"; }';

/** Shell: poll (up to 1 s) until the state's first letter is (want=T) or is not (want=!T) T; leaves it in $state. */
const waitState = (want: 'T' | '!T'): string =>
  `i=0; while :; do state="$(state_of "$pid")"; ${want === 'T' ? '[ "${state%% *}" = T ]' : '[ "${state%% *}" != T ]'} && break; [ $i -lt 40 ] || break; sleep 0.025; i=$((i+1)); done`;

/**
 * The in-node part of healing both process faults, one shell: SIGCONT the DB
 * (a stopped process resumes, a running one ignores it) and print whether it
 * is alive ("running <pid> <state>") or "gone", so the caller restarts it
 * (data kept) where it is not.
 */
export function resumeScript(dbName: string): string {
  return [
    STATE_OF,
    `pid="$(cat ${pidFile(dbName)} 2>/dev/null)"`,
    `if [ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null; then ${waitState('!T')}; echo "running $pid $state"; else echo gone; fi`,
  ].join('\n');
}

/**
 * kill -9 the DB and wait (up to 10 s) until the process is gone, in one
 * shell: a restart must not race the dying process. Prints "killed <pid>
 * <ms until gone> <command name>"; exits 3 when there was no process to kill.
 */
export function killScript(dbName: string): string {
  return [
    readPid(dbName),
    'comm="$(cat /proc/$pid/comm 2>/dev/null)"',
    `kill -KILL "$pid" 2>/dev/null || { echo "no process $pid to kill: ${dbName} was not running" >&2; exit 3; }`,
    'i=0; while kill -0 "$pid" 2>/dev/null; do [ $i -lt 200 ] || { echo "still running 10 s after kill -9" >&2; exit 1; }; sleep 0.05; i=$((i+1)); done',
    'echo "killed $pid $((i*50)) $comm"',
  ].join('\n');
}

/**
 * Signal the DB and read its state back until it shows the signal took hold:
 * prints "<done> <pid> <state>"; exits 3 when there is no process.
 */
function signalScript(dbName: string, signal: 'STOP' | 'CONT', verb: string, done: string, until: 'T' | '!T'): string {
  return [
    STATE_OF,
    readPid(dbName),
    `kill -${signal} "$pid" 2>/dev/null || { echo "no process $pid to ${verb}: ${dbName} is not running" >&2; exit 3; }`,
    waitState(until),
    `echo "${done} $pid $state"`,
  ].join('\n');
}

/** SIGSTOP the DB: "paused <pid> <state>" once its State is T. */
export const pauseScript = (dbName: string): string => signalScript(dbName, 'STOP', 'pause', 'paused', 'T');

/** SIGCONT the DB: "resumed <pid> <state>" once its State is no longer T. */
export const contScript = (dbName: string): string => signalScript(dbName, 'CONT', 'resume', 'resumed', '!T');

/** "<word> <pid> <rest>" as printed by the scripts above. */
function parseLine(out: string): { pid: number; rest: string } {
  const m = /^\S+ (\d+) ?(.*)$/m.exec(out.trim());
  return { pid: Number(m?.[1] ?? NaN), rest: (m?.[2] ?? '').trim() };
}

/** Per-node evidence and errors into a completion: took effect only if every node shows it. */
export function byNode(value: { fault: string; nodes: string[]; description: string; variant?: string }, perNode: Map<string, NodeSeen>, errors: string[], say: (n: string, seen: Record<string, JsonValue>) => string): Completion {
  const effects = [...perNode.values()].map((p) => p.effect);
  const effect = errors.length ? 'no-effect' : combineEffects(effects);
  const summary = [...perNode].map(([n, p]) => say(n, p.seen)).join('; ');
  const nodes: Record<string, JsonValue> = Object.fromEntries([...perNode].map(([n, p]) => [n, { effect: p.effect, ...p.seen }]));
  return withEffect(value, effect, evidence(summary || 'nothing observed', { nodes }), errors);
}

/** kill -9 the DB on `node` and wait until it is gone (killScript): its pid, how long it took, its command name. */
export async function killDb(info: DockerClusterInfo, node: string): Promise<{ pid: number; goneAfterMs: number; command: string }> {
  const { pid, rest } = parseLine(await sh(info, node, killScript(info.db.name)));
  const [ms, ...comm] = rest.split(' ');
  return { pid, goneAfterMs: Number(ms), command: comm.join(' ') };
}

/**
 * The stop of a fault that left the DB down on some nodes (kill, power
 * loss): start it again where it is down and complete once it answers.
 */
export async function restartCompletion(info: DockerClusterInfo, fault: string, down: ReadonlyMap<string, number | undefined>, description: (nodes: string) => string): Promise<Completion> {
  const nodes = sortNodes(down.keys());
  const { perNode, errors } = await restartWhereDown(info, down);
  return byNode({ fault, nodes, description: description(nodes.join(' ') || 'no node') }, perNode, errors, sayRestart);
}

export class KillFault implements Fault {
  readonly kind = 'kill';
  private killed = new Map<string, number | undefined>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to kill' };
    // Recorded before the signal: a restart must follow even if the wait below fails.
    for (const n of nodes) this.killed.set(n, undefined);
    const { results, errors } = await eachNode(nodes, async (n) => {
      const seen = await killDb(info, n);
      this.killed.set(n, seen.pid);
      return { effect: 'took-effect' as const, seen };
    });
    const value = { fault: 'kill', nodes, description: `kill -9 ${info.db.name} on ${nodes.join(' ')} (${spec.variant})`, variant: spec.variant };
    return byNode(value, results, errors, (n, s) => `${n}: pid ${s.pid} gone after ${s.goneAfterMs} ms`);
  }

  /** Start the DB again where it is not running, and complete only once it answers (or the budget is spent). */
  async stop(info: DockerClusterInfo): Promise<Completion> {
    const down = new Map(this.killed);
    this.killed.clear();
    return restartCompletion(info, 'kill', down, (nodes) => `restarted ${info.db.name} on ${nodes} (data kept)`);
  }

  forget(): void {
    this.killed.clear();
  }
}

type NodeSeen = { effect: FaultEffect; seen: Record<string, JsonValue> };

/**
 * Start the DB again (data kept) on each node of `oldPids` where it is not
 * running, and wait until it answers: per node, the old and new pid and how
 * long until it answered. A node where it still runs counts as healed.
 */
export async function restartWhereDown(info: DockerClusterInfo, oldPids: ReadonlyMap<string, number | undefined>): Promise<{ perNode: Map<string, NodeSeen>; errors: string[] }> {
  const t0 = performance.now();
  const { results: started, errors } = await eachNode(sortNodes(oldPids.keys()), async (n) => {
    // A second instance would overwrite the pid file and die on its ports: start only a DB that is down.
    if (await info.cluster.isRunning(n, info.db.name)) return false;
    await info.db.start(info.cluster, n, { fresh: false });
    return true;
  });
  const { ready, exited } = await waitAnswering(info, [...started.keys()], t0);
  const perNode = new Map<string, NodeSeen>();
  const { results: pids } = await eachNode([...started.keys()], async (n) => Number((await info.cluster.readFile(n, pidFile(info.db.name))).trim()));
  for (const [n, didStart] of started) {
    const oldPid = oldPids.get(n) ?? null;
    const newPid = pids.get(n) ?? null;
    const readyMs = ready.get(n) ?? null;
    const fresh = newPid !== null && newPid !== oldPid;
    const effect: FaultEffect = readyMs !== null && (fresh || !didStart) ? 'took-effect' : 'no-effect';
    perNode.set(n, { effect, seen: { oldPid, newPid, readyMs, ...(didStart ? {} : { alreadyRunning: true }), ...(exited.has(n) ? { exited: true } : {}) } });
  }
  return { perNode, errors };
}

/** One node's restart, as restartWhereDown saw it, in words. */
export const sayRestart = (n: string, s: Record<string, JsonValue>): string =>
  s.readyMs === null ? (s.exited ? `${n}: pid ${s.newPid} exited without answering` : `${n}: pid ${s.newPid} not answering after ${RESTART_READY_BUDGET_MS} ms`) : `${n}: ${s.alreadyRunning ? 'was running' : `new pid ${s.newPid}`}, answering after ${s.readyMs} ms`;

/** A restarted DB whose process is gone this long has exited (refused to start), not merely slow. */
const EXITED_FOR_MS = 1000;

/**
 * Poll the DB's status until each node answers: `ready` holds, per node, the
 * ms after t0 when it first did. A node whose DB process has been gone for
 * EXITED_FOR_MS is in `exited` and no longer waited for (a DB refusing a
 * damaged file exits at once; waiting out the budget for it only stalls the
 * run). Absent from both: not answering within the budget.
 */
export async function waitAnswering(info: DockerClusterInfo, nodes: readonly string[], t0: number): Promise<{ ready: Map<string, number>; exited: Set<string> }> {
  const ready = new Map<string, number>();
  const exited = new Set<string>();
  const goneSince = new Map<string, number>();
  const waiting = () => nodes.filter((n) => !ready.has(n) && !exited.has(n));
  while (waiting().length > 0 && performance.now() - t0 < RESTART_READY_BUDGET_MS) {
    const statuses = await info.db.status(info.cluster).catch(() => []);
    for (const s of statuses) if (s.up && nodes.includes(s.node) && !ready.has(s.node)) ready.set(s.node, Math.round(performance.now() - t0));
    await Promise.all(
      waiting().map(async (n) => {
        if (await info.cluster.isRunning(n, info.db.name).catch(() => true)) return goneSince.delete(n);
        const since = goneSince.get(n) ?? performance.now();
        goneSince.set(n, since);
        if (performance.now() - since >= EXITED_FOR_MS) exited.add(n);
      }),
    );
    if (waiting().length > 0) await sleep(READY_POLL_MS);
  }
  return { ready, exited };
}

export class PauseFault implements Fault {
  readonly kind = 'pause';
  private paused = new Set<string>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to pause' };
    for (const n of nodes) this.paused.add(n);
    const { results, errors } = await eachNode(nodes, async (n) => {
      const { pid, rest: state } = parseLine(await sh(info, n, pauseScript(info.db.name)));
      return { effect: (state.startsWith('T') ? 'took-effect' : 'no-effect') as FaultEffect, seen: { pid, state: state || 'gone' } };
    });
    const value = { fault: 'pause', nodes, description: `SIGSTOP ${info.db.name} on ${nodes.join(' ')} (${spec.variant})`, variant: spec.variant };
    return byNode(value, results, errors, (n, s) => `${n}: pid ${s.pid} State ${s.state}`);
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.paused);
    this.paused.clear();
    const { results, errors } = await eachNode(nodes, async (n) => {
      const { pid, rest: state } = parseLine(await sh(info, n, contScript(info.db.name)));
      return { effect: (state !== '' && !state.startsWith('T') ? 'took-effect' : 'no-effect') as FaultEffect, seen: { pid, state: state || 'gone' } };
    });
    const value = { fault: 'pause', nodes, description: `SIGCONT ${info.db.name} on ${nodes.join(' ') || 'no node'}` };
    return byNode(value, results, errors, (n, s) => `${n}: pid ${s.pid} State ${s.state}`);
  }

  forget(): void {
    this.paused.clear();
  }
}
