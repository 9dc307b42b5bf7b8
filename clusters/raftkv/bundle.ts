// Bundle the server into one self-contained .mjs (Node built-ins only), so a
// FROM-scratch image needs just the node binary and this file:
//   node server.mjs --id n1 ...
//
// From sources this runs esbuild (~0.2 s). faultline's CLI bundle (build/cli.mjs)
// makes the server bundle once at build time, by calling bundleServerText() here,
// and hands it in as FAULTLINE_RAFTKV_SERVER: then no esbuild runs at all.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

export const SERVER_ENTRY = fileURLToPath(new URL('../../raftkv/main.ts', import.meta.url));

/** esbuild `define` of the CLI bundle: the server bundle text made at build time. Undefined from sources. */
declare const FAULTLINE_RAFTKV_SERVER: string | undefined;
const PREBUILT: string | undefined = typeof FAULTLINE_RAFTKV_SERVER === 'string' ? FAULTLINE_RAFTKV_SERVER : undefined;

/** esbuild, loaded only when a bundle is made (a bundled faultline never loads it). */
const esbuild = (): typeof import('esbuild') => createRequire(import.meta.url)('esbuild') as typeof import('esbuild');

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
  if (PREBUILT !== undefined) {
    await writeFile(outFile, PREBUILT);
    return Buffer.byteLength(PREBUILT);
  }
  const result = await esbuild().build({ ...options(outFile), metafile: true });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

/** The bundled server's text, synchronously (a DB's image() spec is synchronous). */
export function bundleServerText(): string {
  if (PREBUILT !== undefined) return PREBUILT;
  const result = esbuild().buildSync({ ...options('server.mjs'), write: false });
  return result.outputFiles[0].text;
}
