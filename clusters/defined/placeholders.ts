// The placeholders of a system definition ({name}, {ip}, {port:client} ...;
// schema.ts lists them): which ones a string uses, and the string with them
// filled in for one node. Pure: the loader checks every string with
// placeholdersIn(), the DB expands them per node with expandPlaceholders().

/** Placeholders that stand alone; {port:NAME} is the one with an argument. */
export const PLACEHOLDERS = ['name', 'id', 'ip', 'peers', 'dataDir', 'nodes'] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

/** What the placeholders stand for on one node. */
export interface PlaceholderValues {
  name: string;
  id: number;
  ip: string;
  /** Absent while {peers} itself is being built (node.peer may not use it). */
  peers?: string;
  dataDir: string;
  nodes: number;
  ports: Record<string, number>;
}

// {{ and }} are literal braces; any other {...} is a placeholder.
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}/g;

/** The placeholders `text` uses, as written between the braces ("name", "port:client"), in order, repeats kept. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
}

/** Why `placeholder` (as written between the braces) is not one `ports` allows, or undefined when it is fine. */
export function placeholderProblem(placeholder: string, ports: Record<string, number>, allowed: readonly string[] = PLACEHOLDERS): string | undefined {
  if (placeholder.startsWith('port:')) {
    const name = placeholder.slice('port:'.length);
    if (Object.hasOwn(ports, name)) return undefined;
    const known = Object.keys(ports);
    return `{${placeholder}}: no port named ${JSON.stringify(name)} in \`ports\` (${known.length ? `it has ${known.join(', ')}` : 'it is empty'})`;
  }
  if (allowed.includes(placeholder)) return undefined;
  return `unknown placeholder {${placeholder}}; known: ${[...allowed, 'port:NAME'].map((p) => `{${p}}`).join(' ')} (write {{ and }} for literal braces)`;
}

/** `text` with every placeholder replaced by its value on this node. Throws on an unknown one (the loader has refused those). */
export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(TOKEN, (token, inner: string | undefined) => {
    if (inner === undefined) return token[0];
    if (inner.startsWith('port:')) {
      const port = values.ports[inner.slice('port:'.length)];
      if (port === undefined) throw new Error(`no port ${inner.slice(5)} for {${inner}}`);
      return String(port);
    }
    const value = (values as unknown as Record<string, unknown>)[inner];
    if (!(PLACEHOLDERS as readonly string[]).includes(inner) || value === undefined) throw new Error(`placeholder {${inner}} has no value here`);
    return String(value);
  });
}

/** One node of the cluster, as the placeholders see it. */
export interface PlaceholderNode {
  name: string;
  ip: string;
}

/**
 * The values for node `node` of `nodes`: {peers} is every node written as
 * `peer` (with that node's own values), joined by `separator`.
 */
export function nodeValues(
  nodes: readonly PlaceholderNode[],
  node: string,
  o: { peer: string; peerSeparator: string; dataDir: string; ports: Record<string, number> },
): PlaceholderValues {
  const own = (n: PlaceholderNode, i: number): PlaceholderValues => ({ name: n.name, id: i + 1, ip: n.ip, dataDir: o.dataDir, nodes: nodes.length, ports: o.ports });
  const index = nodes.findIndex((n) => n.name === node);
  if (index < 0) throw new Error(`no node ${node} among ${nodes.map((n) => n.name).join(' ')}`);
  const peers = nodes.map((n, i) => expandPlaceholders(o.peer, own(n, i))).join(o.peerSeparator);
  return { ...own(nodes[index], index), peers };
}
