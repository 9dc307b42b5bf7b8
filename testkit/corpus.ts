// The shared corpus of real histories and the verdicts their authors
// established (../shared/corpus/README.md). Used by the corpus test and the benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../checkers/models/model.ts';
import { casRegisterModel, kvModel, multiRegisterModel, mutexModel } from '../checkers/models/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

export interface CorpusCase {
  /** Path relative to the corpus folder. */
  name: string;
  file: string;
  model: () => Model;
  expected: boolean;
}

/** The linearizable etcd logs, per the corpus README; every other one is not. */
const ETCD_GOOD = new Set(['002', '005', '007', '018', '025', '031', '038', '045', '048', '049', '051', '053', '056', '067']);

function files(dir: string): string[] {
  const full = path.join(corpusDir, dir);
  if (!fs.existsSync(full)) throw new Error(`corpus folder missing: ${full} (expected ../shared/corpus next to the repository)`);
  return fs.readdirSync(full).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(dir, f));
}

function mk(name: string, model: () => Model, expected: boolean): CorpusCase {
  return { name, file: path.join(corpusDir, name), model, expected };
}

export function etcdCases(): CorpusCase[] {
  return files('porcupine/etcd').map((n) => mk(n, () => casRegisterModel({ nilRead: 'absent' }), ETCD_GOOD.has(path.basename(n).slice(5, 8))));
}

export function kvCases(): CorpusCase[] {
  return files('porcupine/kv').map((n) => mk(n, kvModel, path.basename(n).includes('-ok')));
}

export function knossosCases(): CorpusCase[] {
  return [
    ...files('knossos/cas-register/good').map((n) => mk(n, () => casRegisterModel({ initial: 0 }), true)),
    ...files('knossos/cas-register/bad').map((n) => mk(n, () => casRegisterModel({ initial: 0 }), false)),
    ...files('knossos/multi-register/good').map((n) => mk(n, () => multiRegisterModel({ initial: 0 }), true)),
    ...files('knossos/mutex/bad').map((n) => mk(n, mutexModel, false)),
  ];
}
