// Command line of the Raft KV server; this file is the bundle's entry point.
//   node server.mjs --id n1 --peers n1=http://10.0.0.2:2380,n2=... --client-port 8080
//                   --data-dir /data [--bug NAME ...] [--mutant NAME ...] [--snapshot-every N]
// Exits 2 on bad arguments. SIGTERM/SIGINT stop it cleanly; SIGKILL is what the tests are for.
import { configFromArgs, USAGE } from './cli-args.ts';
import { RaftKvServer, type ServerConfig } from './server.ts';

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
