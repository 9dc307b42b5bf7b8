// faultline check through the real entry point: verdict lines, JSON, exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { corpusDir } from './corpus.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/faultline.mjs');
const run = (...args: string[]) => execa('node', [bin, 'check', ...args], { reject: false, env: { FORCE_COLOR: '0' } });
const corpus = (p: string) => path.join(corpusDir, p);

describe('faultline check', () => {
  it('exits 0 with a verdict line per file when all are valid', async () => {
    const r = await run(corpus('porcupine/etcd/etcd_002.log'), corpus('porcupine/etcd/etcd_005.log'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('valid'))).toHaveLength(2);
  });

  it('exits 1 and explains an invalid history', async () => {
    const r = await run(corpus('knossos/cas-register/bad/bad-analysis.edn'), '--initial', '0');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^INVALID/);
    expect(r.stdout).toMatch(/op 13: read -> 2 \(process 21\): impossible when the state is [01]/);
  });

  it('prints JSON with --json and exits 2 on a timeout', async () => {
    const r = await run(corpus('porcupine/kv/c50-ok.txt'), '--model', 'kv', '--no-partition', '--timeout', '100ms', '--json');
    expect(r.exitCode).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.result.valid).toBe('unknown');
    expect(out.result.details.unknownReason).toBe('timeout');
  });

  it('names file, line and what was expected for a malformed file, without a stack trace (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-check-'));
    const file = path.join(dir, 'broken.edn');
    fs.writeFileSync(file, '[{:process 1, :type :invoke, :f :read}\n {:process 1, :type :ok, :f :read :value 3}\n');
    const r = await run(file);
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr).toContain(`${file}:3: expected ']' to close the vector opened at line 1, column 1`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const missing = await run(path.join(dir, 'nope.jsonl'), '--model', 'nonsense');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("unknown model 'nonsense'");
  });
});
