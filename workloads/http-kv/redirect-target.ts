// Which node a redirect points at. A node is named as the leader probe names
// it (clusters/defined nodeNamed: the name faultline gave it, {name}, or a
// string holding its IP, such as "10.1.2.3:2380" or a URL), or by its number
// ({id}: 1 for n1), which Raft implementations with integer ids send.
import { nodeNamed } from '../../clusters/index.ts';

/** The node `leader` names, or undefined when it names none. `urls`: each node's client URL, http://<ip>:<port>. */
export function nodeOf(leader: unknown, urls: Readonly<Record<string, string>>): string | undefined {
  const nodes = Object.keys(urls);
  if (typeof leader === 'string' && Object.hasOwn(urls, leader)) return leader;
  if (typeof leader === 'number' || (typeof leader === 'string' && /^\d+$/.test(leader))) return nodes[Number(leader) - 1];
  // The exact client address first: nodes that share a host (on loopback) differ only by port.
  const exact = typeof leader === 'string' ? nodes.find((n) => sameAddress(urls[n], leader)) : undefined;
  return exact ?? nodeNamed(leader, nodes.map((node) => ({ node, ip: new URL(urls[node]).hostname })));
}

/** Whether `address` (host:port, or a URL) is the host and port of `url`. */
function sameAddress(url: string, address: string): boolean {
  try {
    const a = new URL(address.includes('://') ? address : `http://${address}`);
    return a.host === new URL(url).host;
  } catch {
    return false;
  }
}

/**
 * Where to send an op again after a redirect from `from`: the node `leader`
 * names; null when it names none (no leader yet: retry after a pause). With no
 * leader field in the definition (`leader` undefined), the next node in turn.
 */
export function redirectTarget(leader: unknown, urls: Readonly<Record<string, string>>, from: string): string | null {
  if (leader === undefined) {
    const nodes = Object.keys(urls);
    return nodes[(nodes.indexOf(from) + 1) % nodes.length] ?? null;
  }
  return nodeOf(leader, urls) ?? null;
}
