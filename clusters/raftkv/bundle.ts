// Bundle the server into one self-contained .mjs (Node built-ins only), so a
// FROM-scratch image needs just the node binary and this file:
//   node server.mjs --id n1 ...
//
// faultline's CLI bundle (build/cli.mjs) makes the server bundle once at build
// time, by calling bundleServerText() here, and hands it in as
// FAULTLINE_RAFTKV_SERVER: then no esbuild runs at all (docker/node-bundle.ts).
import { fileURLToPath } from 'node:url';
import { nodeBundleText, writeNodeBundle, type NodeBundle } from '../docker/node-bundle.ts';

export const SERVER_ENTRY = fileURLToPath(new URL('../../raftkv/main.ts', import.meta.url));

/** esbuild `define` of the CLI bundle: the server bundle text made at build time. Undefined from sources. */
declare const FAULTLINE_RAFTKV_SERVER: string | undefined;

const SERVER: NodeBundle = {
  entry: SERVER_ENTRY,
  banner: '// faultline raftkv server (bundled; source: raftkv/)',
  prebuilt: typeof FAULTLINE_RAFTKV_SERVER === 'string' ? FAULTLINE_RAFTKV_SERVER : undefined,
};

/** Write the bundled server to `outFile`; returns its size in bytes. */
export const bundleServer = (outFile: string): Promise<number> => writeNodeBundle(SERVER, outFile);

/** The bundled server's text, synchronously (a DB's image() spec is synchronous). */
export const bundleServerText = (): string => nodeBundleText(SERVER);
