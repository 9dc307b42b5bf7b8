// Does the network look like the grudge says? Pure judgements over what the
// probes (clusters/ probeReachability) and the iptables counters
// (iptables.ts parseCounters) saw; network.ts does the measuring.
//
// A TCP connect needs both directions (SYN there, SYN-ACK back), so the probe
// of an ordered pair expects success only when neither direction is cut: a
// one-way cut a -x-> b makes both a->b and b->a time out. Which side dropped
// the packets (the direction) shows in the counters, read when the fault is
// healed.
import type { FaultEffect, FaultEvidence, JsonValue } from '../history/index.ts';
import type { ProbeResult, ReachabilityProbe } from '../clusters/index.ts';
import type { ChainCounters } from './iptables.ts';
import { evidence } from './effect.ts';
import { reaches, type Grudge } from './grudge.ts';

/** Should a connect from `from` to `to` succeed under grudge `g`? */
export const connectExpected = (g: Grudge, from: string, to: string): boolean => reaches(g, from, to) && reaches(g, to, from);

/** A reset counts as reachable: the peer's kernel answered (a killed DB), only its port was closed. */
const reachable = (r: ProbeResult): boolean => r === 'open' || r === 'refused';

const pair = (from: string, to: string): string => `${from}->${to}`;

/**
 * Compare a probe with the cut a grudge intends (an empty grudge: a healed
 * network, every pair reachable). took-effect: every pair as intended;
 * no-effect: some pair is not (a cut pair reachable, or a pair cut that
 * should not be); unverified: no pair contradicts, but some could not be probed.
 */
export function judgeReachability(
  g: Grudge,
  nodes: readonly string[],
  probe: ReachabilityProbe,
  /** Packet loss in force (--nemesis-overlap): a lost SYN proves nothing, so a timeout on these links is no contradiction. */
  lossy: Grudge = {},
): { effect: FaultEffect; evidence: FaultEvidence } {
  const expectedCut: string[] = [];
  const observedCut: string[] = [];
  const mismatches: Array<{ pair: string; expected: string; observed: string }> = [];
  const unprobed: string[] = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from === to) continue;
      const want = connectExpected(g, from, to);
      const got = probe.reach[from]?.[to] ?? 'error';
      if (!want) expectedCut.push(pair(from, to));
      if (got === 'timeout') observedCut.push(pair(from, to));
      if (got === 'error') unprobed.push(pair(from, to));
      else if (reachable(got) !== want && !(want && !connectExpected(lossy, from, to))) {
        mismatches.push({ pair: pair(from, to), expected: want ? 'reachable' : 'cut', observed: got });
      }
    }
  }
  const total = nodes.length * (nodes.length - 1);
  const healing = expectedCut.length === 0;
  const measured: Record<string, JsonValue> = { expectedCut, observedCut, probeMs: probe.ms };
  if (mismatches.length) measured.mismatches = mismatches;
  if (unprobed.length) measured.unprobed = unprobed;
  if (Object.keys(probe.errors).length) measured.probeErrors = probe.errors;

  if (mismatches.length) {
    const stillOpen = mismatches.filter((m) => m.expected === 'cut').map((m) => m.pair);
    const wronglyCut = mismatches.filter((m) => m.expected === 'reachable').map((m) => m.pair);
    const parts = [
      stillOpen.length ? `${stillOpen.length} of ${expectedCut.length} pairs meant to be cut still connect (${stillOpen.join(', ')})` : '',
      wronglyCut.length ? `${wronglyCut.length} pairs ${healing ? 'still cut after the heal' : 'cut that should connect'} (${wronglyCut.join(', ')})` : '',
    ].filter(Boolean);
    return { effect: 'no-effect', evidence: evidence(parts.join('; '), measured) };
  }
  if (unprobed.length) return { effect: 'unverified', evidence: evidence(`${unprobed.length} of ${total} pairs could not be probed (${Object.values(probe.errors)[0] ?? 'no answer'})`, measured) };
  const summary = healing
    ? `all ${total} pairs connect again (probed in ${probe.ms} ms)`
    : `${expectedCut.length} of ${total} pairs cut as intended, the other ${total - expectedCut.length} connect (probed in ${probe.ms} ms)`;
  return { effect: 'took-effect', evidence: evidence(summary, measured) };
}

/** receiver -> sender -> packets its DROP rule matched, from each node's counters (IPs named back as nodes). */
export function droppedPackets(counters: ReadonlyMap<string, ChainCounters>, nodeOfIp: (ip: string) => string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [receiver, c] of counters) {
    const bySender = Object.entries(c.dropped).filter(([, n]) => n > 0);
    if (bySender.length) out[receiver] = Object.fromEntries(bySender.map(([ip, n]) => [nodeOfIp(ip), n]));
  }
  return out;
}

export const totalDropped = (dropped: Record<string, Record<string, number>>): number =>
  Object.values(dropped).reduce((sum, bySender) => sum + Object.values(bySender).reduce((a, b) => a + b, 0), 0);

/** "n2 dropped 14 from n1, n3 dropped 9 from n1" */
export function describeDropped(dropped: Record<string, Record<string, number>>): string {
  const parts = Object.entries(dropped).flatMap(([to, from]) => Object.entries(from).map(([f, n]) => `${to} dropped ${n} from ${f}`));
  return parts.join(', ') || 'no packet dropped';
}
