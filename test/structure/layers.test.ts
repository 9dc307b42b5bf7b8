// The layering rule, on the real tree and on a made-up graph that breaks it
// (so this test is shown to fail when someone adds an upward import or a cycle).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bypassedSurfaces, importCycles, importsOf, indexFiles, LAYERS, readImportGraph, unusedSurfaces, upwardImports } from '../../testkit/imports.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the import graph of the project', () => {
  const edges = readImportGraph(root);

  it('is read from every layer', () => {
    const folders = new Set(edges.map((e) => e.from.split('/')[0]));
    for (const f of ['history', 'checkers', 'clusters', 'nemeses', 'workloads', 'harness', 'reports', 'cli', 'raftkv']) {
      expect(folders, f).toContain(f);
    }
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has no import running up the layers', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it("reaches another folder's code only through its index.ts, and every index.ts is used", () => {
    expect(bypassedSurfaces(edges)).toEqual([]);
    expect(unusedSurfaces(edges, indexFiles(root))).toEqual([]);
  });

  it('keeps the system under test apart: raftkv/ imports nothing of ours', () => {
    expect(edges.filter((e) => e.from.startsWith('raftkv/') && !e.to.startsWith('raftkv/'))).toEqual([]);
  });
});

describe('the rules catch what they are for', () => {
  it('an upward import is named with both files', () => {
    const edges = [
      { from: 'checkers/a.ts', to: 'history/op.ts' },
      { from: 'history/op.ts', to: 'harness/run/run-test.ts' },
    ];
    expect(upwardImports(edges)).toEqual(['history/op.ts -> harness/run/run-test.ts: history/ may not import harness/ (it sits above)']);
  });

  it('an import past a surface is named; a worker started by path is not', () => {
    const edges = [
      { from: 'cli/main.ts', to: 'checkers/linearizability/search.ts', kind: 'import' as const },
      { from: 'cli/main.ts', to: 'checkers/index.ts', kind: 'import' as const },
      { from: 'checkers/linearizability/parallel.ts', to: 'checkers/linearizability/worker-entry.mjs', kind: 'url' as const },
      { from: 'clusters/raftkv/bundle.ts', to: 'raftkv/main.ts', kind: 'url' as const },
      { from: 'test/x.test.ts', to: 'checkers/linearizability/search.ts', kind: 'import' as const },
    ];
    expect(bypassedSurfaces(edges)).toEqual(['cli/main.ts -> checkers/linearizability/search.ts: import it through an index.ts of checkers/']);
    expect(unusedSurfaces(edges, ['checkers/index.ts', 'nemeses/index.ts'])).toEqual(['nemeses/index.ts']);
  });

  it('a folder that is not in LAYERS is a problem too', () => {
    expect(upwardImports([{ from: 'misc/x.ts', to: 'history/op.ts' }])[0]).toMatch(/not in LAYERS/);
  });

  it('a type-only cycle between two files is found', () => {
    const a = importsOf('checkers/lin/parallel.ts', "import type { Job } from './worker.ts';\n");
    const b = importsOf('checkers/lin/worker.ts', "import { type Plan } from './parallel.ts';\n");
    const edges = [...a.map((to) => ({ from: 'checkers/lin/parallel.ts', to })), ...b.map((to) => ({ from: 'checkers/lin/worker.ts', to }))];
    expect(importCycles(edges)).toEqual([['checkers/lin/parallel.ts', 'checkers/lin/worker.ts']]);
  });

  it('a longer cycle and a self-import are found; a diamond is not a cycle', () => {
    const e = (from: string, to: string) => ({ from, to });
    expect(importCycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('d', 'd')])).toEqual([['a', 'b', 'c'], ['d']]);
    expect(importCycles([e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd')])).toEqual([]);
  });

  it('reads every import form: static, re-export, dynamic, side effect, worker URL', () => {
    const text = [
      "import { x } from './a.ts';",
      "export { y } from '../b.ts';",
      "export * from './c/index.ts';",
      "const m = await import('./d.ts');",
      "import './e.ts';",
      "new Worker(new URL('./f.mjs', import.meta.url));",
      "import fs from 'node:fs';",
    ].join('\n');
    expect(importsOf('k/m/z.ts', text)).toEqual(['k/m/a.ts', 'k/b.ts', 'k/m/c/index.ts', 'k/m/d.ts', 'k/m/e.ts', 'k/m/f.mjs']);
  });

  it('names the layers once, floor first', () => {
    expect(LAYERS.indexOf('history')).toBeLessThan(LAYERS.indexOf('checkers'));
    expect(LAYERS.indexOf('harness')).toBeLessThan(LAYERS.indexOf('cli'));
  });
});
