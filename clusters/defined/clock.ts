// A defined node's clock as its process sees it, for the clock faults'
// evidence (nemeses/clock-evidence.ts reads DB.nodeReport). A definition has
// no endpoint for that, so faultline looks from inside the node: the node
// process must have libfaketime mapped (/proc/<pid>/maps: a static or Go
// binary would ignore LD_PRELOAD, and the fault would do nothing), and
// `date` started there with the same library and control file reads the time
// (clock_gettime, as most runtimes do; bash's own $EPOCHREALTIME is not
// faked): what the node process reads too. Defined images with clock
// "libfaketime" carry /bin/date for this (image.ts). A skewed clock cannot be
// seen this way (libfaketime scales time from each process's own start), so
// a skew is reported as unreadable and stays unverified.
import type { NodeReport } from '../db.ts';
import { NODE_DIR } from '../docker/cluster.ts';
import { readNodeDirFile, type NodeCluster } from '../node-cluster.ts';
import { CLOCK_FILE, faketimeEnv } from '../faketime.ts';

/** The rate in a libfaketime control line ("+1.500 x2"); 1 without one, or without a file. */
export function controlRate(line: string | undefined): number {
  const m = line === undefined ? null : /\sx([\d.]+)/.exec(line);
  return m ? Number(m[1]) : 1;
}

/** Shell (bash): fail unless process `name` maps libfaketime, then print the faked wall clock (seconds, 9 decimals). */
export function clockScript(name: string): string {
  return [
    `pid="$(cat ${NODE_DIR}/${name}.pid 2>/dev/null)"`,
    `[ -n "$pid" ] || { echo "no pid file: ${name} is not running" >&2; exit 3; }`,
    'found=',
    'while IFS= read -r l; do case "$l" in *libfaketime*) found=1; break;; esac; done < "/proc/$pid/maps"',
    `[ -n "$found" ] || { echo "${name} (pid $pid) did not load libfaketime: a static or Go binary ignores it, so clock faults cannot reach it" >&2; exit 4; }`,
    'exec date +%s.%N',
  ].join('\n');
}

export async function readNodeClock(c: NodeCluster, node: string, name: string): Promise<NodeReport> {
  const control = await readNodeDirFile(c, node, CLOCK_FILE).catch(() => undefined);
  const rate = controlRate(control);
  if (rate !== 1) throw new Error(`${node}: its clock runs at rate ${rate}, which a probe from outside the process cannot read`);
  const r = await c.exec(node, ['/bin/bash', '-c', clockScript(name)], { env: faketimeEnv(), timeoutMs: 5000 });
  if (r.exitCode !== 0) throw new Error(`${node}: ${r.stderr.trim() || `clock probe exited ${r.exitCode}`}`);
  const seconds = Number(r.stdout.trim().replace(',', '.'));
  if (!Number.isFinite(seconds)) throw new Error(`${node}: clock probe printed ${JSON.stringify(r.stdout.trim())}`);
  return { clockMs: Math.round(seconds * 1000) };
}
