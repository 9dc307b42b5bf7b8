// `faultline raftkv-bundle FILE` (hidden): write faultline's own Raft KV
// server, bundled into one .mjs that needs only node, to FILE. A system
// definition names host files, so the raftkv-http example's image.prepare
// runs this to have the server as a file (examples/raftkv-http/system.json).
import { resolve } from 'node:path';
import { raftkv } from '../../clusters/index.ts';
import { defineCommand } from './define.ts';

export const raftkvBundleCommand = defineCommand({
  command: 'raftkv-bundle <file>',
  describe: false,
  builder: (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'where to write the bundled server (e.g. server.mjs)' }),
  handler: async (args) => {
    const file = resolve(args.file);
    const bytes = await raftkv.bundleServer(file);
    console.log(`wrote ${file} (${bytes} bytes)`);
  },
});
