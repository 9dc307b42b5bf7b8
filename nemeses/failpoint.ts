// The failpoint nemesis: arm one of the DB's failpoints (etcd's gofail
// names) with a panic or a sleep on a member chosen by where its code runs
// (the leader, a follower, any), reach it on purpose where only a request
// does (etcd's defrag), and wait until it fires: the DB's log shows it (the
// panic message, or the print a sleep starts with) and, for a panic, the
// process is gone. stop disarms it where the process still runs and
// restarts the member where it does not (data kept), and says whether it
// fired by then.
import { closeSync, existsSync, openSync, readSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerClusterInfo, Failpoints } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { Completion, FaultEffect, JsonValue } from '../history/index.ts';
import { errorText } from '../history/index.ts';
import { evidence, sleep, withEffect } from './effect.ts';
import { sortNodes, type Fault, type FaultSpec } from './fault.ts';
import { failpointsOf } from './failpoint-driver.ts';
import { actionOf, describeAction } from './failpoint-options.ts';
import { armedCompletion, chooseMember, type Armed, type FireObservation } from './failpoint-evidence.ts';
import { restartWhereDown, sayRestart } from './process.ts';

/** How long start waits for the armed failpoint to fire. */
const FIRE_WAIT_MS = 5_000;
const POLL_MS = 100;

/** An armed failpoint and where its node's log stood when it was armed. */
interface Arming extends Armed {
  logFile: string;
  logOffset: number;
  armedAt: number;
  /** When the fired text was first seen, ms after arming. */
  firedSeenMs?: number;
}

export class FailpointFault implements Fault {
  readonly kind = 'failpoint';
  private armed = new Map<string, Arming>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const fps = failpointsOf(info.db);
    const point = fps?.points.find((p) => p.name === spec.failpoint);
    if (!fps || !point) return { type: 'fail', error: `${info.db.name} has no failpoint ${spec.failpoint ?? '(none named)'}` };
    const action = actionOf(spec.variant, spec.sleepMs);
    const member = chooseMember(point.fires, info.nodes, await info.db.leader(info.cluster), new Random(spec.seed));
    if (!member) return { type: 'fail', error: `no leader: cannot aim ${point.name} (runs on the ${point.fires})` };

    const dir = info.cluster.node(member.node).hostDir;
    const logFile = join(dir, `${info.db.name}.log`);
    const pidFile = join(dir, `${info.db.name}.pid`);
    const pidText = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
    const arming: Arming = { ...member, failpoint: point.name, action, pid: pidText ? Number(pidText) : null, logFile, logOffset: sizeOf(logFile), armedAt: performance.now() };
    // Remembered before arming: stop and healAll must disarm it even if the call below fails half way.
    this.armed.set(member.node, arming);
    await fps.set(info.cluster, member.node, point.name, action);
    arming.armedAt = performance.now();
    const reach = fps.trigger?.(info.cluster, member.node, point.name).catch(() => undefined);
    const seen = await watch(info, fps, arming, FIRE_WAIT_MS);
    await reach;
    return armedCompletion(arming, seen, spec.variant);
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const armings = sortNodes(this.armed.keys()).map((n) => this.armed.get(n)!);
    this.armed.clear();
    const fps = failpointsOf(info.db);
    const fired = new Map(armings.map((a) => [a.node, fps ? firedSince(a, fps) : null] as const));
    // Disarm where the process still runs (a panic that never fired, any sleep); restart where it does not.
    const disarm = new Map<string, string>();
    await Promise.all(armings.map(async (a) => {
      if (!(await info.cluster.isRunning(a.node, info.db.name))) return void disarm.set(a.node, 'process gone');
      try {
        if (!fps) throw new Error(`${info.db.name} has no failpoints`);
        await fps.set(info.cluster, a.node, a.failpoint, null);
        disarm.set(a.node, 'disarmed');
      } catch (err) {
        disarm.set(a.node, `disarm failed: ${errorText(err)}`);
      }
    }));
    const { perNode, errors } = await restartWhereDown(info, new Map(armings.map((a) => [a.node, a.pid ?? undefined])));
    for (const [n, d] of disarm) if (d.startsWith('disarm failed')) errors.push(`${n}: ${d}`);

    const everFired = armings.some((a) => fired.get(a.node) !== null);
    const restarts = [...perNode.values()].map((p) => p.effect);
    const record: Record<string, JsonValue> = Object.fromEntries(armings.map((a) => [a.node, {
      failpoint: a.failpoint,
      action: a.action.mode,
      fired: fired.get(a.node) !== null,
      firedAfterMs: fired.get(a.node) ?? null,
      disarm: disarm.get(a.node) ?? null,
      ...(perNode.get(a.node)?.seen ?? {}),
    }]));
    return withEffect(
      {
        fault: 'failpoint',
        nodes: armings.map((a) => a.node),
        description: armings.length
          ? armings.map((a) => `${a.failpoint}=${describeAction(a.action)} on ${a.node}: ${perNode.get(a.node)?.seen.alreadyRunning ? 'disarmed' : 'restarted (data kept)'}`).join(', ')
          : 'no failpoint armed',
        fired: everFired,
        // What the fault did while it lasted, for one that had not fired when start looked (checkers/faults.ts).
        faultEffect: (armings.length === 0 ? 'unverified' : everFired ? 'took-effect' : 'no-effect') satisfies FaultEffect,
      },
      restarts.includes('no-effect') ? 'no-effect' : restarts.length ? 'took-effect' : 'unverified',
      evidence([...perNode].map(([n, p]) => `${sayRestart(n, p.seen)} (${disarm.get(n)})`).join('; ') || 'nothing armed', { nodes: record }),
      errors,
    );
  }

  /** healAll: disarm every failpoint this fault remembers where the process runs (healAll restarts the others). */
  async heal(info: DockerClusterInfo): Promise<void> {
    const fps = failpointsOf(info.db);
    if (!fps) return;
    await Promise.all([...this.armed.values()].map((a) => fps.set(info.cluster, a.node, a.failpoint, null).catch(() => undefined)));
  }

  forget(): void {
    this.armed.clear();
  }
}

/** Poll the node's log (read from the host: the node folder is mounted) and, for a panic, its process, until it fired or `budgetMs` passed. */
async function watch(info: DockerClusterInfo, fps: Failpoints, a: Arming, budgetMs: number): Promise<FireObservation> {
  for (;;) {
    const exited = a.action.mode === 'panic' && !(await info.cluster.isRunning(a.node, info.db.name));
    // Read after the exit check: a panic writes its text before the process ends.
    const firedAfterMs = firedSince(a, fps);
    const waitedMs = Math.round(performance.now() - a.armedAt);
    if ((a.action.mode === 'sleep' ? firedAfterMs !== null : exited) || waitedMs >= budgetMs) return { firedAfterMs, exited, waitedMs };
    await sleep(POLL_MS);
  }
}

/** ms after arming when the fired text was first seen in the node's log since arming, or null when it is not there. */
function firedSince(a: Arming, fps: Failpoints): number | null {
  if (!readFrom(a.logFile, a.logOffset).includes(fps.firedText(a.failpoint, a.action))) return null;
  a.firedSeenMs ??= Math.round(performance.now() - a.armedAt);
  return a.firedSeenMs;
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** The file's text from byte `offset` on. */
function readFrom(file: string, offset: number): string {
  if (!existsSync(file)) return '';
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, statSync(file).size - offset));
    readSync(fd, buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
