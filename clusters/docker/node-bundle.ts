// Bundle a TypeScript entry into one self-contained .mjs (Node built-ins
// only), so a FROM-scratch image needs just the node binary and that file.
// raftkv's server and the Maelstrom shim are made this way.
//
// From sources this runs esbuild (~0.2 s). faultline's CLI bundle
// (build/cli.mjs) makes each bundle once at build time and hands its text in
// through an esbuild define, which the caller passes here as `prebuilt`: a
// bundled faultline then never runs esbuild at all.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BuildOptions } from 'esbuild';

export interface NodeBundle {
  /** Absolute path of the entry file. */
  entry: string;
  /** First line of the bundle, saying what it is and where its source lives. */
  banner: string;
  /** The text made at build time (the caller's esbuild define); undefined from sources. */
  prebuilt: string | undefined;
}

/** esbuild, loaded only when a bundle is made (a bundled faultline never loads it). */
const esbuild = (): typeof import('esbuild') => createRequire(import.meta.url)('esbuild') as typeof import('esbuild');

const options = (b: NodeBundle, outFile: string): BuildOptions => ({
  entryPoints: [b.entry],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'silent',
  banner: { js: b.banner },
});

/** Write the bundle to `outFile`; returns its size in bytes. */
export async function writeNodeBundle(b: NodeBundle, outFile: string): Promise<number> {
  if (b.prebuilt !== undefined) {
    await writeFile(outFile, b.prebuilt);
    return Buffer.byteLength(b.prebuilt);
  }
  const result = await esbuild().build({ ...options(b, outFile), metafile: true });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

/** The bundle's text, synchronously (an image spec is synchronous). */
export function nodeBundleText(b: NodeBundle): string {
  if (b.prebuilt !== undefined) return b.prebuilt;
  const result = esbuild().buildSync({ ...options(b, 'bundle.mjs'), write: false });
  return result.outputFiles[0].text;
}
