// How a node's clock is steered: libfaketime. The DB process runs with LD_PRELOAD and
// reads its fake offset from a control file in the node folder, re-read on
// every time call (FAKETIME_NO_CACHE=1). The controller writes that file on
// the host side of the bind mount: no exec round-trip, and the container's
// real clock (shared with the host kernel) is never touched. The clock
// faults that use it are in nemeses/clock.ts.
//
// Wiring, for a DB that wants clock faults: its start() passes faketimeEnv()
// as the process env (DockerCluster.startProcess(node, name, argv, env)) and
// the DB declares `supportsClockFaults: true` (clusters/db.ts). Static Go
// binaries such as etcd read the clock through the vDSO, never through libc,
// so libfaketime cannot reach them: such DBs leave the flag unset and the
// nemesis refuses clock faults before the run starts.
//
// Only the realtime clock is faked (FAKETIME_DONT_FAKE_MONOTONIC=1): a real
// clock jump moves wall time, not CLOCK_MONOTONIC, and a monotonic clock
// going backwards crashes runtimes such as Node (libuv asserts it).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_DIR, type NodeCluster } from './node-cluster.ts';
import { LIBFAKETIME } from './docker/toolbox.ts';

/** The control file's name in each node folder (host: nodes/<node>/, container: /faultline/). */
export const CLOCK_FILE = 'faketime.rc';

/**
 * Env that puts a process under libfaketime, steered by `controlFile` (a path the process sees).
 * `monotonic`: fake CLOCK_MONOTONIC too, for a JVM (its System.nanoTime times
 * ZooKeeper's timeouts, and with the monotonic clock left alone libfaketime
 * slows a JVM down about ten times: ZooKeeper served after 35 s instead of 3).
 */
export function faketimeEnvFor(controlFile: string, library = LIBFAKETIME, o: { monotonic?: boolean } = {}): string[] {
  return [`LD_PRELOAD=${library}`, `FAKETIME_TIMESTAMP_FILE=${controlFile}`, 'FAKETIME_NO_CACHE=1', ...(o.monotonic ? [] : ['FAKETIME_DONT_FAKE_MONOTONIC=1'])];
}

/** Env for a DB process in a node: pass it to startProcess in the DB's start(). A missing control file means no offset. */
export function faketimeEnv(o: { monotonic?: boolean } = {}): string[] {
  return faketimeEnvFor(`${NODE_DIR}/${CLOCK_FILE}`, LIBFAKETIME, o);
}

/**
 * libfaketime's relative format: "+S" / "-S" seconds (fractions allowed),
 * then " xR" for a rate. libfaketime computes
 *   fake = start + (now - start) * R + offset   (start: when the process began)
 * The rate is always written: libfaketime keeps the last rate it read when a
 * line has none, so a reset without " x1" would leave a skewed clock skewed.
 * Never write units: 'm' in the string would mean minutes.
 */
export function clockControl(offsetMs: number, rate = 1): string {
  const s = (Math.abs(offsetMs) / 1000).toFixed(3);
  return `${offsetMs < 0 ? '-' : '+'}${s} x${rate}\n`;
}

/**
 * Offset that makes a rate start now without a jump: the process has run
 * `elapsedS` seconds, and rate R alone would put it (R - 1) * elapsed ahead.
 */
export function skewOffsetMs(elapsedS: number, rate: number, baseMs = 0): number {
  return baseMs - elapsedS * (rate - 1) * 1000;
}

/** Seconds a process has run, from /proc/<pid>/stat (starttime, in clock ticks) and /proc/uptime. */
export function processElapsedS(stat: string, uptime: string, ticksPerS = 100): number {
  // The command name in parentheses may hold spaces: fields count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]); // field 22 of the whole line
  const up = Number(uptime.trim().split(/\s+/)[0]);
  if (!Number.isFinite(startTicks) || !Number.isFinite(up)) throw new Error(`cannot read process start from /proc: ${stat.slice(0, 80)}`);
  return up - startTicks / ticksPerS;
}

/**
 * Set `node`'s control file: straight into its folder where the controller
 * holds it (Docker's bind mount, no exec: a strobe flips it every 50 ms), else
 * through the backend (a host: one SSH command, written then renamed).
 */
export async function setNodeClock(c: NodeCluster, node: string, content: string): Promise<void> {
  if (c.liveNodeDir) writeClockControl(c.node(node).hostDir, content);
  else await c.writeFile(node, `${NODE_DIR}/${CLOCK_FILE}`, content);
}

/** Write the control file atomically (a reader never sees half a line). */
export function writeClockControl(hostDir: string, content: string): void {
  const file = join(hostDir, CLOCK_FILE);
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}
