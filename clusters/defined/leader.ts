// Who leads, from every node's answer to a definition's leader probe
// (schema.ts leaderSchema). Three ways a system can say it:
//   equals       each node says whether it leads (a role field equal to "leader");
//   equalsField  each node names the leader by an id, and its own id is another
//                field (etcd: leader = header.member_id);
//   neither      each node names the leader: a node name, or an address holding its IP.
// Pure: the probing is in probes.ts.
import { fieldOf, sameJson } from './json-field.ts';
import type { LeaderProbe } from './schema.ts';

export interface LeaderAnswer {
  node: string;
  ip: string;
  /** The parsed JSON answer; absent when the node did not answer. */
  answer?: unknown;
  error?: string;
}

export interface LeaderJudgement {
  /** The node that leads (the most agreed-on one when views differ); undefined: none. */
  leader?: string;
  /** Every node answered and all of them agree on this one leader. */
  agreed: boolean;
  /** What each node said, for messages. */
  views: Record<string, string>;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** The node a value names: its name, or a string holding its IP ("10.1.2.3:8080", a URL). */
export function nodeNamed(value: unknown, nodes: readonly { node: string; ip: string }[]): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const byName = nodes.find((n) => n.node === value);
  if (byName) return byName.node;
  return nodes.find((n) => new RegExp(`(^|[^0-9.])${n.ip.replace(/\./g, '\\.')}($|[^0-9])`).test(value))?.node;
}

/** The most frequent of some names (ties: the first seen). */
function mostNamed(names: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best: string | undefined;
  for (const [n, c] of counts) if (best === undefined || c > counts.get(best)!) best = n;
  return best;
}

export function judgeLeader(probe: LeaderProbe, answers: readonly LeaderAnswer[]): LeaderJudgement {
  const views: Record<string, string> = {};
  const answered = answers.filter((a) => a.answer !== undefined);
  for (const a of answers) if (a.answer === undefined) views[a.node] = `no answer (${a.error ?? 'unknown error'})`;
  const allAnswered = answered.length === answers.length && answers.length > 0;

  if (probe.equals !== undefined) {
    const claims = answered.filter((a) => sameJson(fieldOf(a.answer, probe.field), probe.equals)).map((a) => a.node);
    for (const a of answered) views[a.node] = claims.includes(a.node) ? 'leads' : `follows (${probe.field} = ${show(fieldOf(a.answer, probe.field))})`;
    return { leader: claims[0], agreed: allAnswered && claims.length === 1, views };
  }

  if (probe.equalsField !== undefined) {
    const idOf = new Map(answered.map((a) => [a.node, fieldOf(a.answer, probe.equalsField!)]));
    const named = answered.map((a) => ({ node: a.node, names: fieldOf(a.answer, probe.field) }));
    const claims = named.filter((n) => n.names !== undefined && sameJson(n.names, idOf.get(n.node))).map((n) => n.node);
    // Several claimants (a partition): the one most nodes name.
    const votes = claims.map((c) => ({ c, n: named.filter((x) => sameJson(x.names, idOf.get(c))).length }));
    const leader = votes.sort((a, b) => b.n - a.n)[0]?.c;
    for (const n of named) views[n.node] = claims.includes(n.node) ? `leads (${probe.field} = its own ${probe.equalsField})` : `names ${show(n.names)}`;
    const agreed = allAnswered && claims.length === 1 && named.every((n) => sameJson(n.names, idOf.get(leader!)));
    return { leader, agreed, views };
  }

  const named = answered.map((a) => ({ node: a.node, raw: fieldOf(a.answer, probe.field), names: nodeNamed(fieldOf(a.answer, probe.field), answers) }));
  for (const n of named) views[n.node] = n.names ? `names ${n.names}` : `names no node (${probe.field} = ${show(n.raw)})`;
  const leader = mostNamed(named.flatMap((n) => (n.names ? [n.names] : [])));
  const agreed = allAnswered && leader !== undefined && named.every((n) => n.names === leader);
  return { leader, agreed, views };
}
