// TCP reachability between a cluster's nodes, measured where the faults live:
// inside each source node's network namespace (one exec per source node, all
// nodes at once), every peer probed in parallel with a short connect timeout.
// The probe is one bash per source node (toolbox.ts says why bash): each
// connect runs in a forked subshell through bash's /dev/tcp, and a watchdog
// kills those still hanging when the timeout is up. A connect needs packets
// both ways (SYN there, SYN-ACK back), so a pair reads unreachable when
// either direction is cut; which side dropped what is in the iptables
// counters (nemeses/iptables.ts).
import type { NodeCluster } from '../node-cluster.ts';

/**
 * open: connected; refused: the connect failed at once (the peer's kernel
 * answered with a reset: the network lets packets through, nothing listens,
 * e.g. a killed DB); timeout: no answer within the limit (cut); error: the
 * probe itself could not run.
 */
export type ProbeResult = 'open' | 'refused' | 'timeout' | 'error';

/** from -> to -> what a connect from `from` to `to` saw. */
export type Reachability = Record<string, Record<string, ProbeResult>>;

/** Long enough for a connect on an idle bridge (well under 1 ms) on a loaded machine; short enough to probe every fault. */
export const PROBE_TIMEOUT_MS = 300;

export interface ProbeTarget {
  node: string;
  ip: string;
  port: number;
}

/**
 * The bash script one source node runs: every target at once, a line
 * "<node> open" or "<node> refused" for each connect that ended; those still
 * hanging at the timeout are killed and print nothing (a timeout). "end"
 * last, so a script that died half way is told apart from timeouts.
 */
export function probeScript(targets: readonly ProbeTarget[], timeoutMs = PROBE_TIMEOUT_MS): string {
  const seconds = (timeoutMs / 1000).toFixed(3);
  const probes = targets.map(
    (t) => `( { exec 3<>/dev/tcp/${t.ip}/${t.port}; } 2>/dev/null && echo "${t.node} open" || echo "${t.node} refused" ) & pids+=($!)`,
  );
  return [
    'pids=()',
    ...probes,
    // Its output goes nowhere: a sleep left behind must not hold the exec's stream open.
    `( sleep ${seconds}; kill -9 "\${pids[@]}" ) >/dev/null 2>&1 & watchdog=$!`,
    'wait "${pids[@]}" 2>/dev/null',
    'kill $watchdog 2>/dev/null',
    'echo end',
  ].join('\n');
}

/** The results a probe script printed: a target without a line timed out (or, when the script did not finish, is an error). */
export function parseProbe(output: string, targets: readonly string[]): Record<string, ProbeResult> {
  const seen = new Map<string, ProbeResult>();
  let finished = false;
  for (const line of output.split('\n')) {
    const [node, result] = line.trim().split(/\s+/);
    if (node === 'end') finished = true;
    else if (result === 'open' || result === 'refused') seen.set(node, result);
  }
  return Object.fromEntries(targets.map((t) => [t, seen.get(t) ?? (finished ? 'timeout' : 'error')]));
}

export interface ReachabilityProbe {
  reach: Reachability;
  /** Source nodes whose probe could not run, with why. */
  errors: Record<string, string>;
  /** Wall time of the whole probe, ms. */
  ms: number;
}

/**
 * Probe every ordered pair of `nodes` (default: all), connecting to the port
 * `portOf(peer)` names (the DB's client port). All source nodes at once.
 */
export async function probeReachability(
  cluster: NodeCluster,
  portOf: (node: string) => number,
  opts: { nodes?: readonly string[]; timeoutMs?: number } = {},
): Promise<ReachabilityProbe> {
  const t0 = performance.now();
  const nodes = opts.nodes ?? cluster.nodes.map((n) => n.name);
  const reach: Reachability = {};
  const errors: Record<string, string> = {};
  await Promise.all(
    nodes.map(async (from) => {
      const peers = nodes.filter((n) => n !== from);
      const targets = peers.map((to) => ({ node: to, ip: cluster.node(to).ip, port: portOf(to) }));
      try {
        const r = await cluster.exec(from, ['/bin/bash', '-c', probeScript(targets, opts.timeoutMs)], { timeoutMs: 10_000 });
        reach[from] = parseProbe(r.stdout, peers);
        if (r.exitCode !== 0 || Object.values(reach[from]).includes('error')) errors[from] = `probe exited ${r.exitCode}: ${(r.stderr.trim() || r.stdout.trim()).slice(0, 300)}`;
      } catch (err) {
        reach[from] = Object.fromEntries(peers.map((p) => [p, 'error' as const]));
        errors[from] = (err as Error).message;
      }
    }),
  );
  return { reach, errors, ms: Math.round(performance.now() - t0) };
}

/** A node's DB port from its client URL (http://10.213.7.11:2379 -> 2379). */
export function portOfUrl(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}
