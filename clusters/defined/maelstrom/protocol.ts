// Maelstrom's wire format, as the shim reads and writes it: one JSON message
// per line, {"src": "n1", "dest": "c3", "body": {"type": "read_ok", ...}}.
// Pure: parsing a node's stdout line, the message that explains a bad one,
// and where a message goes. Node built-ins only (this is bundled into the shim).

export interface MaelstromBody {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [field: string]: unknown;
}

export interface MaelstromMessage {
  src: string;
  dest: string;
  body: MaelstromBody;
}

/** What a Maelstrom node must write on stdout, for error messages. */
export const PROTOCOL_HINT =
  'A Maelstrom node writes only JSON messages on stdout, one per line, e.g. ' +
  '{"src":"n1","dest":"c1","body":{"type":"read_ok","in_reply_to":1,"value":3}}; ' +
  'logs and debug output go to stderr. Flush stdout after each message.';

/** Maelstrom's built-in services; faultline provides none of them (the shim answers not-supported). */
export const MAELSTROM_SERVICES = ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso'] as const;

/** The client that sends init (Maelstrom's own convention); RPC clients start at c1. */
export const INIT_CLIENT = 'c0';

const MAX_QUOTE = 200;

/** A line for an error message: JSON-quoted (control characters visible), cut at MAX_QUOTE characters. */
export function quoteLine(line: string): string {
  return line.length > MAX_QUOTE ? `${JSON.stringify(line.slice(0, MAX_QUOTE))}... (${line.length} characters)` : JSON.stringify(line);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stdout line as a message, or what is wrong with it (in words a node's author can act on). */
export function parseMessage(line: string): { message: MaelstromMessage } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'it is not JSON' };
  }
  if (!isObject(value)) return { problem: 'it is JSON but not an object' };
  const missing = ['src', 'dest'].filter((f) => typeof value[f] !== 'string');
  if (missing.length) return { problem: `it has no string ${missing.map((f) => `"${f}"`).join(' or ')}` };
  if (!isObject(value.body)) return { problem: 'it has no "body" object' };
  if (typeof value.body.type !== 'string') return { problem: 'its body has no string "type"' };
  for (const f of ['msg_id', 'in_reply_to'] as const) {
    if (value.body[f] !== undefined && !Number.isInteger(value.body[f])) return { problem: `its body's "${f}" is not an integer` };
  }
  return { message: value as unknown as MaelstromMessage };
}

/** The explanation of a stdout line that is not a Maelstrom message, naming the node and quoting the line. */
export function explainGarbage(node: string, line: string, problem: string): string {
  return `node ${node} wrote a line to stdout that is not a Maelstrom message (${problem}): ${quoteLine(line)}. ${PROTOCOL_HINT}`;
}

/**
 * Client ids are spread over the shims so a reply can find its way back from
 * any node: the shim of the node at `position` (0-based, in node id order)
 * hands out c<position+1>, c<position+1+n>, c<position+1+2n>, ...
 */
export function clientId(position: number, nodeCount: number, round: number): string {
  return `c${position + 1 + round * nodeCount}`;
}

/** The position of the shim that handed out client id `id` (undefined: not one of ours). */
export function clientOwner(id: string, nodeCount: number): number | undefined {
  const m = /^c([1-9]\d*)$/.exec(id);
  return m ? (Number(m[1]) - 1) % nodeCount : undefined;
}

/** Where a message a node wrote goes. */
export type Route =
  | { to: 'self' }
  | { to: 'peer'; node: string }
  | { to: 'client'; owner: string }
  | { to: 'init' }
  | { to: 'service'; service: string }
  | { to: 'nowhere' };

export function routeOf(dest: string, self: string, nodeIds: readonly string[]): Route {
  if (dest === self) return { to: 'self' };
  if (nodeIds.includes(dest)) return { to: 'peer', node: dest };
  if (dest === INIT_CLIENT) return { to: 'init' };
  const owner = clientOwner(dest, nodeIds.length);
  if (owner !== undefined) return { to: 'client', owner: nodeIds[owner] };
  if ((MAELSTROM_SERVICES as readonly string[]).includes(dest)) return { to: 'service', service: dest };
  return { to: 'nowhere' };
}
