// The node image of a definition: host files with their libraries when they
// are ELF, folders minus their exclusions, faultline's toolbox, and the
// definition's data folder. Resolved on the host only (no engine).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definedImage, definedImageTag, type LoadedDefinition } from '../../clusters/defined/index.ts';
import { systemDefinitionSchema } from '../../clusters/defined/schema.ts';
import { resolveEntries } from '../../clusters/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-defined-image-'));
mkdirSync(join(dir, 'app', 'lib'), { recursive: true });
mkdirSync(join(dir, 'app', '__pycache__'), { recursive: true });
writeFileSync(join(dir, 'app', 'main.py'), 'print("hi")\n');
writeFileSync(join(dir, 'app', 'lib', 'util.py'), '\n');
writeFileSync(join(dir, 'app', '__pycache__', 'main.cpython.pyc'), 'x');
writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nexec python3 /app/main.py\n');

function loaded(input: Record<string, unknown>): LoadedDefinition {
  const base = { name: 'kv', node: { command: ['/run.sh'], dataDir: '/var/lib/kv' }, client: { protocol: 'etcd-v3', port: 1 }, workloads: ['register'] };
  const def = systemDefinitionSchema.parse({ ...base, ...input });
  return { def, file: join(dir, 'system.json'), dir, input };
}

describe('definedImage', () => {
  it('files relative to the definition, ELF files with their libraries, folders minus exclusions, the toolbox', async () => {
    const spec = definedImage(loaded({ image: { files: ['/bin/true', { from: './run.sh', to: '/run.sh' }], dirs: [{ from: 'app', to: '/app', exclude: ['__pycache__'] }], env: { A: '1' } } }));
    expect(spec.name).toBe('kv');
    expect(spec.files).toContainEqual({ from: '/bin/true', to: '/bin/true', elf: true });
    expect(spec.files).toContainEqual({ from: join(dir, 'run.sh'), to: '/run.sh', elf: false });
    expect(spec.dirs).toContain('/var/lib/kv');
    expect(spec.env).toMatchObject({ A: '1', PATH: expect.any(String) });
    const entries = (await resolveEntries(spec)).map((e) => e.to);
    expect(entries).toEqual(expect.arrayContaining(['/app/main.py', '/app/lib/util.py', '/run.sh', '/bin/true', '/bin/sh']));
    expect(entries.some((e) => e.includes('__pycache__'))).toBe(false);
    // /bin/true's libc came along.
    expect(entries.some((e) => /libc\.so/.test(e))).toBe(true);
  });

  it('a local image by tag is used as it is: nothing to build', () => {
    const l = loaded({ image: { tag: 'mykv:dev' } });
    expect(definedImageTag(l)).toBe('mykv:dev');
    expect(() => definedImage(l)).toThrow(/used as it is/);
    expect(definedImageTag(loaded({ image: { files: [] } }))).toBeUndefined();
  });
});
