// The project's import graph, read from the sources, and the two rules the
// layering test holds it to: no cycle between files, and no import from a
// top-level folder to one that sits above it in LAYERS.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The top-level folders from the floor up, written once. A folder may import
 * itself and anything listed before it. raftkv/ is the system under test: it
 * stands first so the harness may start and inspect it, and since nothing
 * else comes before it, it can import nothing of ours.
 */
export const LAYERS = [
  'raftkv', // faultline's own Raft KV server: a product under test, apart from the harness
  'history', // floor: ops, histories, readers and writers of every format
  'checkers', // pure verdicts on a history, the models, the checker registry
  'generator', // pure, seeded op generators
  'disk', // the lose-unsynced filesystem (FUSE) and its per-node mounts: below clusters, which mount it
  'clusters', // where the system under test runs (Docker, images, DB adapters)
  'nemeses', // faults, injected through clusters/
  'workloads', // clients and generators per workload
  'harness', // the run loop, run folder, system table, recipes
  'reports', // report.html, summary.json, JUnit, the store browser
  'cli', // the faultline command and its commands
  'testkit', // made-up histories and runs for tests and benchmarks
  'bench',
  'test',
  'build', // the CLI bundle's build script and its freshness check
  'bin',
] as const;

export interface ImportEdge {
  from: string;
  to: string;
  /** 'url': a file started by path (a worker, a bundle entry) rather than imported. */
  kind?: 'import' | 'url';
}

/** The layers that make up faultline itself (the rest only use it). */
export const SOURCE_LAYERS = LAYERS.slice(0, LAYERS.indexOf('testkit'));

const IMPORT = /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]|new URL\(\s*['"](\.{1,2}\/[^'"]+\.(?:ts|mjs))['"]/gm;

/** Relative imports of one source text (type-only ones included: a type cycle is still a cycle). */
export function importsOf(file: string, text: string): string[] {
  return importEdgesOf(file, text).map((e) => e.to);
}

function importEdgesOf(file: string, text: string): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    out.push({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)), kind: m[4] === undefined ? 'import' : 'url' });
  }
  return out;
}

/** Files under the given top-level folders whose name passes `keep` (paths relative to root, forward slashes). */
function filesUnder(root: string, folders: readonly string[], keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (keep(e.name)) out.push(rel);
    }
  };
  for (const f of folders) if (fs.existsSync(path.join(root, f))) walk(f);
  return out;
}

/** Every import edge between the project's source files under root (paths relative to root). */
export function readImportGraph(root: string, folders: readonly string[] = LAYERS): ImportEdge[] {
  return filesUnder(root, folders, (name) => /\.(ts|mts|mjs|js)$/.test(name)).flatMap((rel) => importEdgesOf(rel, fs.readFileSync(path.join(root, rel), 'utf8')));
}

const topFolder = (file: string): string => file.split('/')[0];

/** Imports that run from a lower layer up to a higher one (or touch a folder LAYERS does not name). */
export function upwardImports(edges: readonly ImportEdge[], layers: readonly string[] = LAYERS): string[] {
  const rank = new Map(layers.map((l, i) => [l, i]));
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const a = rank.get(topFolder(from));
    const b = rank.get(topFolder(to));
    if (a === undefined || b === undefined) problems.push(`${from} -> ${to}: folder not in LAYERS`);
    else if (b > a) problems.push(`${from} -> ${to}: ${topFolder(from)}/ may not import ${topFolder(to)}/ (it sits above)`);
  }
  return problems;
}

/**
 * Imports from one source layer into another folder that do not go through
 * an index.ts there: a folder's index.ts is its public surface. Files started
 * by path (workers, bundle entries) are exempt.
 */
export function bypassedSurfaces(edges: readonly ImportEdge[], sourceLayers: readonly string[] = SOURCE_LAYERS): string[] {
  const source = new Set(sourceLayers);
  return edges
    .filter((e) => e.kind !== 'url' && source.has(topFolder(e.from)) && source.has(topFolder(e.to)) && topFolder(e.from) !== topFolder(e.to))
    .filter((e) => !e.to.endsWith('/index.ts'))
    .map((e) => `${e.from} -> ${e.to}: import it through an index.ts of ${topFolder(e.to)}/`);
}

/** index.ts files of the source layers that nothing imports: a surface nobody uses. */
export function unusedSurfaces(edges: readonly ImportEdge[], indexFiles: readonly string[]): string[] {
  const imported = new Set(edges.map((e) => e.to));
  return indexFiles.filter((f) => !imported.has(f));
}

/** Every index.ts under the given top-level folders (paths relative to root). */
export function indexFiles(root: string, folders: readonly string[] = SOURCE_LAYERS): string[] {
  return filesUnder(root, folders, (name) => name === 'index.ts').sort();
}

/** Import cycles between files (each as a list of files), by Tarjan's strongly connected components. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)!.push(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = next.get(v)!.includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
