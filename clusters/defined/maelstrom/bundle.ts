// The shim as one self-contained .mjs for the node image (docker/node-bundle.ts).
// faultline's CLI bundle (build/cli.mjs) makes it at build time, by calling
// shimBundleText() here, and hands it in as FAULTLINE_MAELSTROM_SHIM.
import { fileURLToPath } from 'node:url';
import { nodeBundleText, type NodeBundle } from '../../docker/node-bundle.ts';

/** esbuild `define` of the CLI bundle: the shim bundle text made at build time. Undefined from sources. */
declare const FAULTLINE_MAELSTROM_SHIM: string | undefined;

const SHIM: NodeBundle = {
  entry: fileURLToPath(new URL('./shim-main.ts', import.meta.url)),
  banner: '// faultline Maelstrom shim (bundled; source: clusters/defined/maelstrom/)',
  prebuilt: typeof FAULTLINE_MAELSTROM_SHIM === 'string' ? FAULTLINE_MAELSTROM_SHIM : undefined,
};

let text: string | undefined;

/** The bundled shim's text (made once per process). */
export function shimBundleText(): string {
  return (text ??= nodeBundleText(SHIM));
}
