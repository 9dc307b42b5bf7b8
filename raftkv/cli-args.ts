// The server's command line, both ways: parse argv into a ServerConfig, and
// build argv from options (for whoever starts servers: local processes,
// container definitions), so the two never drift apart.
import { parseArgs } from 'node:util';
import { BUGS, parseBugs, type BugName } from './bugs.ts';
import { MUTANTS, parseMutants, type MutantName } from './mutants.ts';
import type { ServerConfig } from './server.ts';

export const USAGE = `usage: server.mjs --id ID --peers ID=URL,ID=URL,... --client-port PORT --data-dir DIR
       [--bug NAME]... [--mutant NAME]... [--snapshot-every N] [--host ADDR] [--election-timeout MS]
       [--heartbeat MS] [--request-timeout MS] [--max-append-entries N]
bugs (all off by default):
${Object.entries(BUGS)
  .map(([name, what]) => `  ${name.padEnd(18)} ${what}`)
  .join('\n')}
mutants (the mutation suite: planted Raft bugs for measuring faultline itself; off by default):
${Object.entries(MUTANTS)
  .map(([name, m]) => `  ${name.padEnd(30)} (${m.set}) ${m.description}`)
  .join('\n')}`;

function parsePeers(text: string): Map<string, string> {
  const peers = new Map<string, string>();
  for (const part of text.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`bad peer '${part}': want ID=URL`);
    const url = part.slice(eq + 1);
    if (!new URL(url).port) throw new Error(`peer URL ${url} needs an explicit port`);
    peers.set(part.slice(0, eq), url);
  }
  return peers;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${text}'`);
  return n;
}

function atLeastOne(name: string, text: string | undefined, fallback: number): number {
  const n = positive(name, text, fallback);
  if (n < 1) throw new Error(`--${name} must be at least 1, got '${text}'`);
  return n;
}

export function configFromArgs(argv: string[]): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: 'string' },
      peers: { type: 'string' },
      'client-port': { type: 'string' },
      'data-dir': { type: 'string' },
      bug: { type: 'string', multiple: true },
      mutant: { type: 'string', multiple: true },
      'snapshot-every': { type: 'string' },
      host: { type: 'string' },
      'election-timeout': { type: 'string' },
      heartbeat: { type: 'string' },
      'request-timeout': { type: 'string' },
      'max-append-entries': { type: 'string' },
    },
    strict: true,
  });
  const id = values.id;
  if (!id || !values.peers || !values['client-port'] || !values['data-dir']) {
    throw new Error('--id, --peers, --client-port and --data-dir are required');
  }
  const peers = parsePeers(values.peers);
  if (!peers.has(id)) throw new Error(`--peers must list this node (${id})`);
  return {
    id,
    peers,
    host: values.host ?? '0.0.0.0',
    clientPort: positive('client-port', values['client-port'], 0),
    dataDir: values['data-dir'],
    bugs: parseBugs(values.bug ?? []),
    mutants: parseMutants(values.mutant ?? []),
    snapshotEvery: positive('snapshot-every', values['snapshot-every'], 1_000),
    electionTimeout: positive('election-timeout', values['election-timeout'], 300),
    heartbeatInterval: positive('heartbeat', values.heartbeat, 50),
    requestTimeout: positive('request-timeout', values['request-timeout'], 2_000),
    maxEntriesPerAppend: atLeastOne('max-append-entries', values['max-append-entries'], 256),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${id} ${line}\n`),
  };
}

/** What a launcher chooses for one node; everything else keeps the server's defaults. */
export interface ServerArgs {
  id: string;
  /** id -> peer URL for every member, e.g. n1 -> http://10.0.0.2:2380 */
  peers: ReadonlyMap<string, string> | Record<string, string>;
  clientPort: number;
  dataDir: string;
  bugs?: Iterable<BugName>;
  mutants?: Iterable<MutantName>;
  snapshotEvery?: number;
  host?: string;
  electionTimeout?: number;
  heartbeat?: number;
  requestTimeout?: number;
  maxAppendEntries?: number;
}

/** argv (without `node server.mjs`) for one node. */
export function serverArgs(a: ServerArgs): string[] {
  const peers = a.peers instanceof Map ? [...a.peers] : Object.entries(a.peers);
  const argv = ['--id', a.id, '--peers', peers.map(([id, url]) => `${id}=${url}`).join(','), '--client-port', String(a.clientPort), '--data-dir', a.dataDir];
  for (const bug of a.bugs ?? []) argv.push('--bug', bug);
  for (const mutant of a.mutants ?? []) argv.push('--mutant', mutant);
  const optional: [string, string | number | undefined][] = [
    ['snapshot-every', a.snapshotEvery],
    ['host', a.host],
    ['election-timeout', a.electionTimeout],
    ['heartbeat', a.heartbeat],
    ['request-timeout', a.requestTimeout],
    ['max-append-entries', a.maxAppendEntries],
  ];
  for (const [name, value] of optional) if (value !== undefined) argv.push(`--${name}`, String(value));
  return argv;
}
