// `faultline check FILE --checker elle --consistency-models ...`, end to end.
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.resolve(repoRoot, '../shared/corpus/elle/si-without-g-single.edn');
const faultline = (...args: string[]) => execa('node', [path.join(repoRoot, 'bin/faultline.mjs'), ...args], { reject: false, cwd: repoRoot });

describe('faultline check --checker elle', () => {
  it('exit 1 with the explanation when a requested model is ruled out, 0 when not', async () => {
    const bad = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'repeatable-read');
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('INVALID');
    expect(bad.stdout).toContain('ruled out: repeatable-read');
    expect(bad.stdout).toMatch(/: a contradiction\./);
    const good = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'snapshot-isolation', '--json');
    expect(good.exitCode).toBe(0);
    const json = JSON.parse(good.stdout);
    expect(json.result.details.anomalyTypes).toEqual(['G2-item']);
  });

  it('an unknown model is a user error (exit 2)', async () => {
    const r = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'bogus');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown consistency model 'bogus'");
  });
});
