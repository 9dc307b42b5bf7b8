// The pages' script: reports/page/*.ts (typed modules, DOM code) bundled by
// esbuild into one classic script per page, an IIFE that html.ts inlines and
// allows by hash. Built on first use, then kept for the life of the process.
// The page imports the writer's types only (`import type`), so no server code
// is bundled: a build that would pull in a file from outside page/ fails.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ENTRIES = {
  report: new URL('./page/report-main.ts', import.meta.url),
  store: new URL('./page/store-main.ts', import.meta.url),
};

const built = new Map<string, string>();

/** The bundled script of report.html ('report') or of the store browser ('store'). */
export function pageScript(entry: 'report' | 'store'): string {
  let script = built.get(entry);
  if (script === undefined) {
    const file = fileURLToPath(ENTRIES[entry]);
    const pageDir = path.dirname(file);
    const result = buildSync({
      entryPoints: [file],
      // Paths in the bundle's comments are relative to page/, whatever the process's cwd.
      absWorkingDir: pageDir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: false,
      sourcemap: false,
      legalComments: 'none',
      write: false,
      metafile: true,
    });
    const outside = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('..') || path.isAbsolute(input));
    if (outside.length) throw new Error(`the page script may bundle reports/page/ only (writer types come in with \`import type\`), not: ${outside.join(', ')}`);
    script = result.outputFiles[0].text;
    built.set(entry, script);
  }
  return script;
}
