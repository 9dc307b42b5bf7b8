// iptables scripts run inside a node's own network namespace, one exec per
// node. Each fault kind owns a chain (faultline-partition, faultline-loss)
// jumped to from INPUT, and every rule carries the comment "faultline", so
// healing removes exactly our rules and nothing else. Pure text builders;
// the exec happens in the faults.
import type { Grudge } from './grudge.ts';

export const RULE_COMMENT = 'faultline';
export type FaultChain = 'faultline-partition' | 'faultline-loss';
export const FAULT_CHAINS: readonly FaultChain[] = ['faultline-partition', 'faultline-loss'];

const TAG = `-m comment --comment ${RULE_COMMENT}`;

/** For iptables rules: every probability is a drop; 1 drops everything. */
export interface DropSpec {
  /** Source IPs whose packets this node drops. */
  sources: readonly string[];
  /** Drop each packet with this probability (packet loss); default 1. */
  probability?: number;
}

/**
 * Replace the chain's rules with drops of `spec` (iptables-restore in
 * --noflush mode declares, i.e. creates or empties, only our chain), then
 * make sure INPUT jumps to it once. One shell, one exec.
 */
export function applyScript(chain: FaultChain, spec: DropSpec, opts: { hooked?: boolean } = {}): string {
  const p = spec.probability ?? 1;
  if (!(p > 0 && p <= 1)) throw new Error(`drop probability must be in (0, 1], got ${p}`);
  const match = p < 1 ? ` -m statistic --mode random --probability ${p}` : '';
  const rules = spec.sources.map((ip) => `-A ${chain} -s ${ip}${match} ${TAG} -j DROP`);
  const batch = ['*filter', `:${chain} - [0:0]`, ...rules, 'COMMIT', ''].join('\n');
  const restore = `iptables-restore --noflush <<'EOF'\n${batch}EOF`;
  // hooked: false is the tests' broken fault: rules in a chain no packet ever visits.
  if (opts.hooked === false) return restore;
  return [restore, `iptables -C INPUT ${TAG} -j ${chain} 2>/dev/null || iptables -I INPUT 1 ${TAG} -j ${chain}`].join('\n');
}

/** What a chain did: whether INPUT jumps to it, and packets dropped per source IP. */
export interface ChainCounters {
  exists: boolean;
  /** Jumps to the chain (iptables' "N references"): 0 means no packet ever reaches its rules. */
  references: number;
  /** Source IP -> packets its DROP rule matched (for loss: the packets actually lost). */
  dropped: Record<string, number>;
}

/** Print the chain's rules with exact packet counters (nothing when the chain does not exist). */
export function countersScript(chain: FaultChain): string {
  return `iptables -L ${chain} -v -x -n 2>/dev/null || true`;
}

/**
 * Parse `iptables -L <chain> -v -x -n`:
 *   Chain faultline-partition (1 references)
 *       pkts      bytes target     prot opt in     out     source               destination
 *          5      300 DROP       all  --  *      *       10.213.7.12          0.0.0.0/0   (comment: faultline)
 */
export function parseCounters(text: string): ChainCounters {
  const header = /^Chain \S+ \((\d+) references?\)/m.exec(text);
  const dropped: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[2] !== 'DROP' || !/^\d+$/.test(f[0])) continue;
    const source = f[7]?.replace(/\/32$/, '') ?? '?';
    dropped[source] = (dropped[source] ?? 0) + Number(f[0]);
  }
  return { exists: header !== null, references: header ? Number(header[1]) : 0, dropped };
}

/** Remove our jumps and chains. Idempotent: succeeds whether or not they exist. */
export function healScript(chains: readonly FaultChain[] = FAULT_CHAINS): string {
  return (
    chains
      .map((c) => `while iptables -D INPUT ${TAG} -j ${c} 2>/dev/null; do :; done; iptables -F ${c} 2>/dev/null; iptables -X ${c} 2>/dev/null`)
      .join('\n') + '\ntrue'
  );
}

/** The drops each node applies for a grudge, resolved to IPs. Nodes without a grudge get none. */
export function dropsFor(grudge: Grudge, ipOf: (node: string) => string, probability?: number): Map<string, DropSpec> {
  const out = new Map<string, DropSpec>();
  for (const [node, froms] of Object.entries(grudge)) {
    if (froms.length > 0) out.set(node, { sources: froms.map(ipOf), probability });
  }
  return out;
}

/** Lines of `iptables -S` output that are ours. */
export function ourRules(iptablesS: string): string[] {
  return iptablesS.split('\n').filter((l) => l.includes(RULE_COMMENT));
}
