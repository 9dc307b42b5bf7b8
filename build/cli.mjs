#!/usr/bin/env node
// Builds faultline's CLI bundle with esbuild: `node build/cli.mjs` (`npm run
// build`). npm runs it after `npm ci` / `npm install` (the `prepare` script),
// and bin/faultline.mjs runs it on first use and whenever build/freshness.mjs
// finds that a source changed since the bundle was built.
//
// Output, in dist/ (git-ignored):
//   dist/<build id>/faultline.mjs               the CLI (cli/main.ts), code-split: a
//                                                command's code loads only when it runs
//   dist/<build id>/linearizability-worker.mjs  worker thread of checkers/linearizability/parallel.ts
//   dist/<build id>/*-<hash>.mjs                chunks they share; *.map source maps
//   dist/build.json                             which build is current, and the snapshot of
//                                                the sources it was made from (freshness.mjs)
// Each build gets a folder of its own and build.json is replaced atomically, so a
// process still running an older build never sees its files change under it; an
// older folder is removed once no live process holds it (pruneOldBuilds).
//
// What bundling changes, and how it is kept equivalent to running the sources:
// - import.meta.url (and .dirname/.filename) in every bundled file is the URL of
//   its source file (computed relative to the bundle, so the tree may move):
//   files read next to the code (reports/page/style.css, ../package.json, yargs'
//   locales...) are read from where they are, as when running from sources.
// - npm packages stay external (loaded from node_modules), except those in
//   INLINE_PACKAGES (yargs, chalk and what they import), which every start loads:
//   yargs as one file loads in half the time of its ~20 modules (~55 ms vs
//   ~110 ms here), and inlined, its string-width can be made lazy (below: ~25 ms more).
// - What the sources do with esbuild at run time is done here, once:
//     clusters/raftkv/bundle.ts: the raftkv server bundle, given as the define
//       FAULTLINE_RAFTKV_SERVER (bundle.ts uses it instead of running esbuild);
//     clusters/defined/maelstrom/bundle.ts: the Maelstrom shim bundle, likewise
//       as FAULTLINE_MAELSTROM_SHIM;
//     reports/page-script.ts: replaced by a module returning the scripts
//       pageScript('report' | 'store') returned at build time.
//   Both are computed by running those very modules (see precompute()), so the
//   build uses exactly their esbuild options.
// - parallel.ts starts its workers from linearizability-worker.mjs (define
//   FAULTLINE_BUNDLED_WORKER) instead of worker-entry.mjs, which needs tsx.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { BUILD_INFO, buildInUse, currentBuild, DIST, ROOT, SCHEMA, snapshotFiles, snapshotSources, SOURCE_DIRS, SOURCE_FILES } from './freshness.mjs';

/** npm packages bundled into the CLI (with everything they import) instead of loaded from node_modules. */
export const INLINE_PACKAGES = new Set(['yargs', 'chalk']);
const ENTRY = 'faultline.mjs';
const WORKER = 'linearizability-worker.mjs';
/**
 * An older build folder is removed by the next build once no live process holds
 * it (freshness.mjs holdBuild) and it is this old: a process that has just read
 * build.json may not have marked its folder yet.
 */
const KEEP_OLD_BUILDS_MS = 60_000;

/** Modules the build runs to precompute what they would compute at run time. */
const PRECOMPUTED = {
  raftkv: 'clusters/raftkv/bundle.ts',
  maelstromShim: 'clusters/defined/maelstrom/bundle.ts',
  pages: 'reports/page-script.ts',
};
/** The page entries pageScript() knows (reports/page-script.ts). */
const PAGE_ENTRIES = ['report', 'store'];

const posix = (p) => p.split(path.sep).join('/');

/** `file` as a URL relative to `fromDir` (each segment encoded, so '#', '?' or '%' in a name survive). */
function relativeUrl(fromDir, file) {
  return posix(path.relative(fromDir, file)).split('/').map((s) => (s === '..' ? s : encodeURIComponent(s))).join('/');
}

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** import.meta.url/dirname/filename of each bundled file -> its source file's (see the header). */
function sourceUrlsPlugin(outdir) {
  return {
    name: 'faultline-source-urls',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (!/\bimport\.meta\.(url|dirname|filename)\b/.test(text)) return undefined; // esbuild loads it as usual
        const url = `new URL(${JSON.stringify(relativeUrl(outdir, args.path))}, import.meta.url)`;
        const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, what) => {
          if (what === 'url') return `${url}.href`;
          const file = `process.getBuiltinModule('node:url').fileURLToPath(${url})`;
          return what === 'filename' ? file : `process.getBuiltinModule('node:path').dirname(${file})`;
        });
        return { contents, loader: LOADERS[path.extname(args.path)] ?? 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** The package a bare specifier names: 'yargs/helpers' -> 'yargs', '@scope/x/y' -> '@scope/x'. */
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** npm packages imported by faultline's sources stay external unless INLINE_PACKAGES has them. */
function packagesPlugin() {
  return {
    name: 'faultline-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
        // Imports inside an inlined package are inlined with it.
        if (args.importer.split(path.sep).includes('node_modules')) return undefined;
        return INLINE_PACKAGES.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/**
 * string-width (yargs measures every help cell with it, and yargs renders the
 * help of every command it runs, in case it fails) costs ~45 ms just to load:
 * its Unicode property regexes are validated when the file is parsed, and its
 * Intl.Segmenter loads ICU data. Each copy the inlined packages import is
 * wrapped: printable ASCII, all of faultline's help text, is measured as its
 * length (string-width 8's own fast path, exact for that range); anything else
 * initialises the real module on first use (esbuild bundles a require()d module
 * as a lazy initialiser, and it keeps the `v` regexes as RegExp constructor calls
 * inside it, which cost nothing until run).
 */
function lazyStringWidthPlugin(root) {
  return {
    name: 'faultline-lazy-string-width',
    setup(b) {
      b.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.pluginData?.real) return undefined;
        const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { real: true } });
        if (real.errors.length > 0 || real.external) return undefined;
        return { path: real.path, namespace: 'lazy-string-width' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
        contents: [
          `// string-width (${posix(path.relative(root, args.path))}), initialised on first use beyond printable ASCII (build/cli.mjs).`,
          'export default function stringWidth(input, options) {',
          "  if (typeof input === 'string' && /^[\\u0020-\\u007E]*$/.test(input)) return input.length;",
          `  return require(${JSON.stringify(args.path)}).default(input, options);`,
          '}',
        ].join('\n'),
        loader: 'js',
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}

/** Replace modules by generated code: absolute path -> module text. */
function replacePlugin(replacements) {
  return {
    name: 'faultline-precomputed',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const contents = replacements.get(args.path);
        return contents === undefined ? undefined : { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * Run the modules of PRECOMPUTED that exist (bundled into a temporary module
 * with this build's settings, so their import.meta.url is their source's) and
 * collect what the CLI bundle embeds instead of computing it at run time.
 */
async function precompute(root, outdir) {
  const present = Object.entries(PRECOMPUTED).filter(([, rel]) => fs.existsSync(path.join(root, rel)));
  const file = path.join(outdir, '.precompute.mjs');
  const result = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: present.map(([name, rel]) => `export * as ${name} from './${rel}';`).join('\n') || 'export {};', resolveDir: root, sourcefile: 'precompute.ts', loader: 'ts' },
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceUrlsPlugin(outdir)],
  });
  try {
    const mod = await import(pathToFileURL(file).href);
    const out = { inputs: Object.keys(result.metafile.inputs), replacements: new Map(), define: {} };
    if (mod.raftkv) out.define.FAULTLINE_RAFTKV_SERVER = JSON.stringify(mod.raftkv.bundleServerText());
    if (mod.maelstromShim) out.define.FAULTLINE_MAELSTROM_SHIM = JSON.stringify(mod.maelstromShim.shimBundleText());
    if (mod.pages) out.replacements.set(path.join(root, PRECOMPUTED.pages), pageScriptModule(mod.pages));
    return out;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** reports/page-script.ts as the bundle gets it: the scripts pageScript() returned at build time. */
function pageScriptModule(real) {
  if (typeof real.pageScript !== 'function') throw new Error(`${PRECOMPUTED.pages} no longer exports pageScript(entry): update build/cli.mjs`);
  const scripts = Object.fromEntries(PAGE_ENTRIES.map((entry) => [entry, real.pageScript(entry)]));
  const lines = [
    `// ${PRECOMPUTED.pages}, precomputed by build/cli.mjs: the page scripts it bundles at run time, bundled at build time.`,
    `const SCRIPTS = ${JSON.stringify(scripts)};`,
    'export function pageScript(entry) {',
    '  if (!Object.hasOwn(SCRIPTS, entry)) throw new Error(`pageScript: unknown page entry ${JSON.stringify(entry)}`);',
    '  return SCRIPTS[entry];',
    '}',
  ];
  // Other exports: plain values are carried over; functions cannot be precomputed without knowing their arguments.
  for (const [name, value] of Object.entries(real)) {
    if (name === 'pageScript') continue;
    if (typeof value === 'function') {
      throw new Error(`${PRECOMPUTED.pages} exports the function ${name}, which the CLI bundle cannot precompute: teach build/cli.mjs (pageScriptModule) about it`);
    }
    lines.push(`export const ${name} = ${JSON.stringify(value)};`);
  }
  return lines.join('\n') + '\n';
}

const watched = (rel) => SOURCE_FILES.includes(rel) || SOURCE_DIRS.some((d) => rel.startsWith(`${d}/`) && !rel.split('/').some((s) => s === 'node_modules' || s.startsWith('.')));

/** Build the bundle into a new dist/<id>/ and make it current. Returns { entry, info }. */
export async function build({ root = ROOT } = {}) {
  const builtAt = Date.now();
  // The snapshot comes first: a file changed while the build reads it shows as changed next time.
  const sources = snapshotSources(root);
  const dir = `b-${builtAt.toString(36)}-${process.pid}`;
  const outdir = path.join(root, 'dist', dir);
  fs.mkdirSync(outdir, { recursive: true });
  try {
    const pre = await precompute(root, outdir);
    const workerFromSource = relativeUrl(path.join(root, 'checkers/linearizability'), path.join(outdir, WORKER));
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { faultline: 'cli/main.ts', 'linearizability-worker': 'checkers/linearizability/worker.ts' },
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      banner: { js: '// faultline CLI bundle, generated by build/cli.mjs from the sources: do not edit.' },
      define: { FAULTLINE_BUNDLED_WORKER: JSON.stringify(workerFromSource), ...pre.define },
      // Order matters: the first onLoad that answers wins.
      plugins: [packagesPlugin(), lazyStringWidthPlugin(root), replacePlugin(pre.replacements), sourceUrlsPlugin(outdir)],
    });
    const inputs = new Set([...pre.inputs, ...Object.keys(result.metafile.inputs)].filter((rel) => !rel.includes(':') && !watched(rel)));
    const info = {
      schema: SCHEMA,
      dir,
      entry: ENTRY,
      worker: WORKER,
      builtAt: new Date(builtAt).toISOString(),
      esbuild: esbuild.version,
      sources,
      extras: snapshotFiles(root, [...inputs].sort()),
    };
    const tmp = path.join(root, 'dist', `.build-${process.pid}.json`);
    fs.writeFileSync(tmp, JSON.stringify(info));
    fs.renameSync(tmp, path.join(root, 'dist', 'build.json'));
    pruneOldBuilds(root, dir);
    return { entry: pathToFileURL(path.join(outdir, ENTRY)).href, info };
  } catch (err) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
}

function pruneOldBuilds(root, current) {
  const dist = path.join(root, 'dist');
  for (const name of fs.readdirSync(dist)) {
    if (name === current || !name.startsWith('b-')) continue;
    const dir = path.join(dist, name);
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > KEEP_OLD_BUILDS_MS && !buildInUse(dir)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run fn holding dist/.lock, so processes starting at once (e.g. tests) build once, not each. */
async function withLock(root, fn) {
  const dist = path.join(root, 'dist');
  const lock = path.join(dist, '.lock');
  fs.mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (lockAbandoned(lock)) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The holder died (killed mid-build), or the lock is implausibly old. */
function lockAbandoned(lock) {
  const st = fs.statSync(lock, { throwIfNoEntry: false });
  if (!st) return false;
  if (Date.now() - st.mtimeMs > 120_000) return true;
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    return false; // being written: give it time
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
}

/**
 * The current bundle, building it first when it is missing or stale (under the
 * lock; another process may have just built it). Returns { entry, info }.
 */
export async function ensureBuilt({ root = ROOT, reason, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  return withLock(root, async () => {
    const now = currentBuild(root);
    if (now.entry) return now;
    log(`faultline: building the CLI bundle (${reason ?? now.reason})...`);
    return build({ root });
  });
}

/** esbuild's errors, as it prints them, or the error's message. */
export async function describeBuildError(err) {
  if (Array.isArray(err?.errors) && err.errors.length > 0) {
    const lines = await esbuild.formatMessages(err.errors, { kind: 'error', color: process.stderr.isTTY });
    return lines.join('');
  }
  return String(err?.stack ?? err);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const started = performance.now();
  try {
    const { info } = await withLock(ROOT, () => build());
    const files = fs.readdirSync(path.join(DIST, info.dir)).filter((f) => f.endsWith('.mjs'));
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(DIST, info.dir, f)).size, 0);
    console.log(`faultline: built ${path.relative(process.cwd(), path.join(DIST, info.dir)) || '.'}/ (${files.length} files, ${(bytes / 1024).toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(2)} s; ${path.relative(process.cwd(), BUILD_INFO)}`);
  } catch (err) {
    console.error(`faultline: the CLI bundle could not be built:\n${await describeBuildError(err)}`);
    process.exit(1);
  }
}
