// Bundle the server into one self-contained .mjs (Node built-ins only), so a
// FROM-scratch image needs just the node binary and this file:
//   node server.mjs --id n1 ...
import { build, buildSync, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const SERVER_ENTRY = fileURLToPath(new URL('../../raftkv/main.ts', import.meta.url));

const options = (outFile: string): BuildOptions => ({
  entryPoints: [SERVER_ENTRY],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'silent',
  banner: { js: '// faultline raftkv server (bundled; source: raftkv/)' },
});

/** Write the bundled server to `outFile`; returns its size in bytes. */
export async function bundleServer(outFile: string): Promise<number> {
  const result = await build({ ...options(outFile), metafile: true });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

/** The bundled server's text, synchronously (a DB's image() spec is synchronous). */
export function bundleServerText(): string {
  const result = buildSync({ ...options('server.mjs'), write: false });
  return result.outputFiles[0].text;
}
