// Command line of the Raft KV server; this file is the bundle's entry point.
//   node server.mjs --id n1 --peers n1=http://10.0.0.2:2380,n2=... --client-port 8080
//                   --data-dir /data [--bug NAME ...] [--snapshot-every N]
// Exits 2 on bad arguments. SIGTERM/SIGINT stop it cleanly; SIGKILL is what the tests are for.
import { parseArgs } from 'node:util';
import { BUGS, parseBugs } from './bugs.ts';
import { RaftKvServer, type ServerConfig } from './server.ts';

const USAGE = `usage: server.mjs --id ID --peers ID=URL,ID=URL,... --client-port PORT --data-dir DIR
       [--bug NAME]... [--snapshot-every N] [--host ADDR] [--election-timeout MS]
       [--heartbeat MS] [--request-timeout MS]
bugs (all off by default):
${Object.entries(BUGS)
  .map(([name, what]) => `  ${name.padEnd(18)} ${what}`)
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

export function configFromArgs(argv: string[]): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: 'string' },
      peers: { type: 'string' },
      'client-port': { type: 'string' },
      'data-dir': { type: 'string' },
      bug: { type: 'string', multiple: true },
      'snapshot-every': { type: 'string' },
      host: { type: 'string' },
      'election-timeout': { type: 'string' },
      heartbeat: { type: 'string' },
      'request-timeout': { type: 'string' },
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
    snapshotEvery: positive('snapshot-every', values['snapshot-every'], 1_000),
    electionTimeout: positive('election-timeout', values['election-timeout'], 300),
    heartbeatInterval: positive('heartbeat', values.heartbeat, 50),
    requestTimeout: positive('request-timeout', values['request-timeout'], 2_000),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${id} ${line}\n`),
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let config: ServerConfig;
  try {
    config = configFromArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const server = await RaftKvServer.start(config);
  const stop = (signal: string) => {
    config.log(`${signal}: stopping`);
    server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

await main();
